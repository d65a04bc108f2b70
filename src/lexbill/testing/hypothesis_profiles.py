"""Hypothesis settings for lexbill's property tests; conftest.py loads "ci" for the whole suite.

"ci" is derandomized (the same examples on every run, so a red build is reproducible and a green one means
the same thing everywhere), has no deadline and no too_slow health check (a slow shared machine must not fail
a test: no wall-clock limits in tests). Tests that draw examples against a database firm use the
function-scoped `firm` fixture on purpose (each example makes its own rows), so that health check is off too.
`HYPOTHESIS_PROFILE=dev` explores new random examples locally.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]

settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True, suppress_health_check=_QUIET)
settings.register_profile("dev", deadline=None, suppress_health_check=_QUIET)

# For a pure property that is cheap to run: more examples than the default 100.
CI = settings(settings.get_profile("ci"), max_examples=300)

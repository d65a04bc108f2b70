"""Hypothesis settings for lexbill's property tests.

"ci" is derandomized (the same examples on every run, so a red build is reproducible and a green one means
the same thing everywhere) and has no deadline (a slow shared machine must not fail a test: no wall-clock
limits in tests). A property test opts in with `@settings(CI)`.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
CI = settings.get_profile("ci")

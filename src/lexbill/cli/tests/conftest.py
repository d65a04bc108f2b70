import json

import pytest
from click.testing import CliRunner

from lexbill.cli.main import _register, cli


@pytest.fixture
def run():
    """Invoke `lexbill ARGS...` in-process (same test database); returns the click Result."""
    _register()
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def run_json(run):
    def invoke(*args: str):
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output + result.stderr
        return json.loads(result.stdout)

    return invoke

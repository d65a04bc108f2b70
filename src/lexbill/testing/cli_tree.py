"""Every `lexbill` command by its path ("prebill approve"), for tests that walk the whole CLI (access matrix,
conventions): a new command is found without being listed anywhere."""

from __future__ import annotations

import click


def cli_commands() -> dict[str, click.Command]:
    from lexbill.cli.main import _register, cli

    _register()
    found: dict[str, click.Command] = {}

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = command

    walk(cli, [])
    return found

"""Errors users see: one line each, with the documented exit code (README, ``--help``)."""

from __future__ import annotations

import click

EXIT_OK = 0
EXIT_GATE = 1
EXIT_USAGE = 2
EXIT_TARGET = 3
EXIT_CONFIG = 4
EXIT_OUTPUT = 5
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class TrustauditError(click.ClickException):
    """Base class: ``format_message`` is the one line printed; ``exit_code`` is documented."""

    exit_code = EXIT_INTERNAL

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"trustaudit: error: {self.format_message()}", err=True, file=file)


class TargetError(TrustauditError):
    """The target cannot be audited: unreachable, DNS failure, blocked start page, no HTML."""

    exit_code = EXIT_TARGET


class ConfigError(TrustauditError):
    exit_code = EXIT_CONFIG


class OutputError(TrustauditError):
    """The report folder cannot be written."""

    exit_code = EXIT_OUTPUT


class InternalError(TrustauditError):
    exit_code = EXIT_INTERNAL

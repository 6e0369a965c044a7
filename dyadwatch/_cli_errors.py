"""How errors that escape a ``dyadwatch`` command reach the user: click's usage errors (from
click or the copy Typer bundles) as one line and exit status 2, anything else as one line and 1."""

from __future__ import annotations

from rich.text import Text

from dyadwatch import _cli_output as output

stderr = output.stderr


_CLICK_KINDS = ("NoArgsIsHelpError", "UsageError", "ClickException", "Abort")


def _click_kind(error: BaseException) -> str | None:
    """Which click exception ``error`` is, by class name, whether it comes from click or from
    the copy Typer bundles (``typer._click``), so that ``main`` works with either."""
    for cls in type(error).__mro__:
        if cls.__module__.partition(".")[0] in ("click", "typer") and cls.__name__ in _CLICK_KINDS:
            return cls.__name__
    return None


def _usage_message(error: Exception) -> str:
    """A usage error as one line: the problem, then where the help is."""
    message = " ".join(str(getattr(error, "format_message", error.__str__)()).split())
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", "") or "dyadwatch"
    return f"{message} (try '{command} --help')"


def exit_status(error: Exception, *, debug: bool) -> int:
    """Print an error that escaped a command the way every dyadwatch error prints (one line;
    with ``debug``, a non-click error is raised for its traceback); return the exit status."""
    kind = _click_kind(error)
    if kind == "NoArgsIsHelpError":
        stderr.print(Text(str(getattr(error, "format_message", error.__str__)())))
        return 2
    if kind == "UsageError":
        output.error_line(_usage_message(error))
        return 2
    if kind == "ClickException":
        output.error_line(str(getattr(error, "format_message", error.__str__)()))
        return int(getattr(error, "exit_code", 1))
    if kind == "Abort":
        return 130
    if debug:
        raise error
    if type(error).__module__.partition(".")[0] in ("duckdb", "_duckdb"):
        output.error_line(f"database error: {error}")  # e.g. a block damaged inside the file
        return 1
    output.error_line(
        f"unexpected {type(error).__name__}: {error} (run again with --debug for the traceback, "
        "and please report it)"
    )
    return 1

"""One line per CLI error, never a traceback.

Typer (click) would print a usage box of several lines for a bad option; an exception raised
by a command on unusual input (a file name too long, a JSON document nested too deep, a number
too large for a date) would print a traceback. :func:`run_guarded` runs the command line with
click's own error printing switched off and prints every failure as one line on stderr::

    error: --ratio: 'abc' is not accepted; a number (see 'spasmcare keto prescribe --help')

Exit codes: 0 success, 2 bad input (an option, a file or a value that cannot be used), 1 an
unexpected failure (also one line, asking to report it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer._click import exceptions as click_errors

from spasmcare.errors import InputError

#: Exceptions a command raises when an input it was given cannot be used.
INPUT_FAILURES: tuple[type[BaseException], ...] = (
    RecursionError,
    OverflowError,
    ArithmeticError,
    ValueError,
    TypeError,
    UnicodeError,
    OSError,
    KeyError,
    IndexError,
)
#: Longest error line printed [characters] (software setting: a value is cut, never the line).
MAX_LINE = 400


def one_line(text: str) -> str:
    """``text`` on one line, shortened to ``MAX_LINE`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= MAX_LINE else flat[: MAX_LINE - 3] + "..."


def fail(text: str, code: int = 2) -> NoReturn:
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(one_line(text))}", highlight=False
    )
    sys.exit(code)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


#: Typer's wording of a failed conversion -> what is accepted, in the project's words.
_CONVERSIONS = {
    "valid integer": "a whole number",
    "valid number": "a number",
    "valid boolean": "yes or no",
}


def _accepted(message: str) -> str:
    for key, words in _CONVERSIONS.items():
        if key in message:
            return words
    return message


def _given(argv: list[str], opts: list[str]) -> str | None:
    """The value given on the command line for an option named by ``opts``, if any."""
    for i, token in enumerate(argv):
        for opt in opts:
            if token == opt and i + 1 < len(argv):
                return argv[i + 1]
            if token.startswith(opt + "="):
                return token[len(opt) + 1 :]
    return None


def _usage_text(exc: Any, argv: list[str]) -> str:
    """A click usage error as "option: value is not accepted; what is (see --help)"."""
    ctx = getattr(exc, "ctx", None)
    where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    if isinstance(exc, click_errors.NoArgsIsHelpError) and ctx is not None:
        names = sorted(getattr(ctx.command, "commands", {}) or [])
        wanted = f"a command: one of {', '.join(names)}" if names else "a command"
        return f"{ctx.command_path}: nothing was given; {wanted}{where}"
    param = getattr(exc, "param", None)
    if isinstance(exc, click_errors.MissingParameter) and param is not None:
        name = (param.opts or [param.name])[-1]
        return f"{name}: nothing was given; a value is required{where}"
    if isinstance(exc, click_errors.BadParameter) and param is not None:
        opts = list(param.opts or [])
        name = opts[-1] if opts else str(param.name)
        value = _given(argv, opts) if opts and opts[0].startswith("-") else None
        shown = "the value given" if value is None else _short(value)
        return f"{name}: {shown} is not accepted; {_accepted(exc.message)}{where}"
    return f"{exc.format_message()}{where}"


def run_guarded(call: Callable[[], Any], argv: list[str] | None = None) -> None:
    """Run the command line (click in ``standalone_mode=False``); every failure is one line.
    ``argv`` (default ``sys.argv[1:]``) lets a bad option's message quote the value given."""
    try:
        result = call()
    except InputError as exc:
        fail(f"{exc.field}: {_short(exc.value)} is not accepted; {exc.accepted}")
    except click_errors.UsageError as exc:
        fail(_usage_text(exc, list(sys.argv[1:] if argv is None else argv)), 2)
    except typer.Abort:
        fail("aborted", 1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except click_errors.ClickException as exc:
        fail(exc.format_message(), exc.exit_code or 2)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except RecursionError:
        fail("input: nested too deeply to be read; a flatter document is accepted")
    except OSError as exc:
        name = exc.filename if exc.filename is not None else "file"
        fail(f"{_short(str(name))}: cannot be used as a file or folder ({exc.strerror or exc})")
    except INPUT_FAILURES as exc:
        fail(f"input: cannot be used ({type(exc).__name__}: {exc})")
    except Exception as exc:  # a defect: still one line, never a traceback
        fail(f"unexpected failure ({type(exc).__name__}: {exc}); please report it", 1)
    sys.exit(result if isinstance(result, int) else 0)

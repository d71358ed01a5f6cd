"""What the commands share: turning known failures into one-line errors, exit 2."""

from __future__ import annotations

import contextlib

import click


# Set by the console script (cli.run): the command has the process to itself, not
# click's test runner nor a Python program that called it, so ``finish`` may end it.
process_of_its_own = False


def finish(code: int):
    """End a command with exit ``code``. In a process of its own, the process ends once
    its output is flushed, without freeing its objects one by one: after validating a 1M
    register that teardown (the cycle collector walking millions of terms, then
    freeing them) takes 2-4 s. Elsewhere, SystemExit as usual."""
    import sys

    if process_of_its_own:
        import os

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can be said there
                pass
        os._exit(code)
    sys.exit(code)


class InputFailure(click.ClickException):
    exit_code = 2

    def format_message(self):
        from realpolitik.terminal import printable

        return printable(self.message)  # one line, whatever the data in it


def plain_text(option: str, value: str | None) -> None:
    """Refuse a parameter that is not plain text: bytes that are not UTF-8, or a control
    character (nothing in the dataset is named with one)."""
    from realpolitik.terminal import unsafe_character

    found = unsafe_character(value) if isinstance(value, str) else None
    if found:
        raise InputFailure(f"{option}: holds {found}; give plain text")


def read_input(path: str) -> str:
    """A file given on the command line, as UTF-8 text ('-' for standard input): a
    regular file only, no larger than REALPOLITIK_MAX_FILE_BYTES."""
    import sys

    from realpolitik import limits
    from realpolitik.inputs import Refused, read_text

    if path == "-":
        text = sys.stdin.read(limits.max_file_bytes() + 1)
        if len(text) > limits.max_file_bytes():
            raise InputFailure(f"standard input: more than the limit of {limits.max_file_bytes():,} characters (REALPOLITIK_MAX_FILE_BYTES)")
        return text
    try:
        return read_text(path)
    except Refused as exc:
        raise InputFailure(f"{path}: {exc}") from None


class Seconds(click.ParamType):
    """A finite number of seconds above 0 and at most a week (``--timeout``); anything
    else is a one-line error."""

    name = "seconds"
    longest = 7 * 24 * 3600

    def convert(self, value, param, ctx):
        import math

        if isinstance(value, float):
            seconds = value
        else:
            try:
                seconds = float(str(value).strip())
            except ValueError:
                seconds = math.nan
        if not (math.isfinite(seconds) and 0 < seconds <= self.longest):
            raise InputFailure(f"--{param.name if param else 'timeout'} {value}: give a number of seconds above 0 and at most {self.longest:,}")
        return seconds


@contextlib.contextmanager
def fail_on_dataset_errors():
    """The operating system's failures in one line (the package's own are caught by the
    command group: cli.LazyGroup)."""
    try:
        yield
    except RuntimeError as exc:
        if not str(exc).startswith("Symlink loop"):  # pathlib's resolve() of a looping link
            raise
        raise InputFailure(f"{str(exc)[len('Symlink loop from '):].strip(chr(39))}: a symbolic link loop") from None
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        raise InputFailure(f"{where}{exc.strerror or exc}") from None


def store_and_actor(root, option: str, raw: str | None):
    """The embedded store of the dataset, and the actor ``raw`` names (a label, alias,
    CURIE or IRI, resolved as the named queries resolve it) as ``<IRI>``, or None when
    not given; a name that matches nothing is an input error naming ``option``."""
    from realpolitik.querying import backend
    from realpolitik.querying.catalog import Param
    from realpolitik.querying.params import resolve

    plain_text(f"--{option}", raw)
    with fail_on_dataset_errors():
        on = backend(None, root)
        actor = None if raw is None else f"<{resolve(Param(option, 'actor', 'an actor'), raw, on).value}>"
    return on, actor


def write_output(out, data: bytes, root, command: str) -> None:
    """Write ``data`` to the file ``out``, whole or not at all, and never into the
    dataset; ``None`` writes it to standard output."""
    from pathlib import Path

    from realpolitik import folders

    if out is None:
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    folders.refuse_dataset(path, root, "its pictures", command)
    folders.refuse_output_file(path)
    try:
        folders.write_file(path, data)
    except OSError as exc:
        raise InputFailure(f"{out}: {exc.strerror or exc}") from None

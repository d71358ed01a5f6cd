"""What the commands share: turning known failures into one-line errors, exit 2."""

from __future__ import annotations

import contextlib

import click


class InputFailure(click.ClickException):
    exit_code = 2

    def format_message(self):
        return self.message


@contextlib.contextmanager
def fail_on_dataset_errors():
    from realpolitik.paths import DatasetNotFound
    from realpolitik.rdf.parse import InputError

    try:
        yield
    except (DatasetNotFound, InputError) as exc:
        raise InputFailure(str(exc)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        raise InputFailure(f"{where}{exc.strerror or exc}") from None

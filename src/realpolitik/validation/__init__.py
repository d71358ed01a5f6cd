"""Validate the dataset, or a contribution against it.

Strict Turtle comes first (validation.context): a file that cannot be read, or a
literal outside the lexical space of its datatype, stops validation (exit code 2).
Then the checks run, in the order of validation.checks.registry, which lists each with
what it finds; one runner (validation.runner) runs them on the whole dataset and on a
change (validation.changed) alike.
"""

from __future__ import annotations

import os

from realpolitik.validation.checks.registry import names
from realpolitik.validation.findings import Report

CHECKS = names()  # the registered checks' names, in order


def validate(
    paths=None,
    *,
    root: str | os.PathLike | None = None,
    standalone: bool = False,
    changed: bool = False,
    skip=(),
) -> Report:
    """Validate the shipped dataset, or ``paths`` on top of it.

    With ``paths``, the files (or folders of ``.ttl`` files) are validated together
    with the dataset, as a contribution would be; with ``standalone=True``, alone
    (with the ontology); with ``changed=True``, ``paths`` are data files of the dataset
    that changed, and only the nodes they can affect are checked (validation.changed).
    ``skip`` names checks to leave out.
    """
    from realpolitik.collector import paused
    from realpolitik.validation import context, runner

    with paused():
        try:
            if changed:
                built = context.for_change(paths or (), root=root)
            else:
                built = context.for_dataset(paths, root=root, standalone=standalone)
        except context.Stopped as stop:
            return stop.report
        return runner.run(built, skip)

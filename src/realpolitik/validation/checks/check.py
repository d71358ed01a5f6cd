"""What a check is: a name, a line saying what it finds, and how it finds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from realpolitik.validation.context import Context
    from realpolitik.validation.findings import Finding


@dataclass(frozen=True)
class Check:
    """``run(context)`` gives the check's findings on what the context holds
    (validation.context); it reads the context and changes nothing in it but, where it
    ran on one of several engines, ``context.engines[name]``."""

    name: str  # what --skip and a finding's check say
    description: str  # one line, for --help and the README's table of checks
    run: Callable[[Context], list[Finding]]
    reads_store: bool = False  # reads ``context.opened``: the runner lets the store go after the last that does

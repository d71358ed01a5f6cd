"""The errors the package raises on purpose, with one base class.

Each says in one line what went wrong and where: ``str(error)`` is worded for a Python
caller, ``for_command_line()`` for the ``realpolitik`` command, which catches every
``RealpolitikError`` once (cli.LazyGroup) and exits with code 2. Where the error is in a
file, ``file``, ``line`` and ``column`` say where; where it is in a parameter,
``parameter`` names it.
"""

from __future__ import annotations


class RealpolitikError(Exception):
    """Input, data or a server that the package cannot work with, said in one line."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    parameter: str | None = None

    def for_command_line(self) -> str:
        """The message as the command line says it (the same, unless a subclass names
        parameters as options)."""
        return str(self)

"""The one reader of Turtle files: every path that reads a file of the dataset (the
cache, a store in memory, validation, the shapes, a release) reads it here, so each is
as strict as the others and locates an error the same way.

pyoxigraph's parser follows the W3C grammar to the letter (an IRI with a space in it
is an error, with line and column) and is fast; the file's literals are then checked
against the lexical spaces of their datatypes, the longest literal and the characters
XML cannot carry. Only a regular file is read (never a link, device or FIFO), and no
more than REALPOLITIK_MAX_FILE_BYTES of it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from realpolitik.errors import RealpolitikError
from realpolitik.rdf.literals import RDF_LANGSTRING, XSD, lexical_error
from realpolitik.rdf.positions import FilePositions, scan

XSD_STRING = XSD + "string"
# Turtle allows these in a literal; XML 1.0 does not, so no release could be written.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# pyoxigraph's parser holds one token (a literal, an IRI) in a buffer of at most 16 MiB.
TOKEN_TOO_LONG = "a literal or IRI longer than the parser's 16 MiB buffer, far past the longest literal accepted"


class InputError(RealpolitikError):
    """A file that cannot be read as the dataset requires: says what and where."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None):
        self.file, self.message, self.line, self.column = file, message, line, column
        where = file if line is None else f"{file}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Limits:
    """How much of untrusted input is read: the largest file, the longest literal."""

    file_bytes: int
    literal_chars: int

    @classmethod
    def current(cls) -> "Limits":
        """The limits the settings give now (realpolitik.limits)."""
        from realpolitik import limits

        return cls(limits.max_file_bytes(), limits.max_literal_chars())


@dataclass
class ParsedFile:
    """One file as read: its text and its quads as the parser gave them (in the default
    graph, blank nodes labelled by the parser); its rdflib triples and the positions of
    what it writes are made when first asked for."""

    path: Path
    display: str
    text: str
    quads: list = field(default_factory=list, repr=False)
    byte_order_mark: bool = False
    convert: object = field(default=None, repr=False, compare=False)

    @cached_property
    def triples(self) -> list:
        """The statements as rdflib terms, blank nodes scoped to the file (BlankLabels)."""
        from realpolitik.store.terms import TermConverter

        convert = self.convert if self.convert is not None else TermConverter()
        convert.new_file(self.path)
        rdflib_logger = logging.getLogger("rdflib.term")
        level = rdflib_logger.level
        rdflib_logger.setLevel(logging.CRITICAL)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return [(convert(q.subject), convert(q.predicate), convert(q.object)) for q in self.quads]
        finally:
            rdflib_logger.setLevel(level)

    @cached_property
    def positions(self) -> FilePositions:
        try:
            return scan(self.text)
        except (RecursionError, ValueError):  # nesting too deep to walk: positions unknown
            return FilePositions()

    @property
    def content(self) -> bytes:
        """The bytes the file was read from (UTF-8, so the text gives them back)."""
        return (("\ufeff" if self.byte_order_mark else "") + self.text).encode("utf-8")

    def manifest_entry(self) -> dict:
        """The size and SHA-256 of the bytes that were parsed (not of the file read again
        later, which may have changed)."""
        content = self.content
        return {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


class Reader:
    """Reads the Turtle files of the dataset at ``root`` (files are named relative to it
    in errors), under ``limits`` (default: as the settings say now). Files read by one
    reader share its term cache: IRIs repeat from file to file."""

    def __init__(self, root: Path | None = None, limits: Limits | None = None):
        from realpolitik.store.terms import TermConverter

        self.root = Path(root) if root is not None else None
        self.limits = limits or Limits.current()
        self.convert = TermConverter()

    def read(self, path: Path, display: str | None = None) -> ParsedFile:
        """One file, read strictly; InputError says what and where."""
        from realpolitik.inputs import Refused, read_regular
        from realpolitik.store.terms import parse_turtle_quads

        path = Path(path)
        if display is None:
            from realpolitik.dataset import display_path

            display = display_path(path, self.root)
        try:  # a regular file only, never a link, device or FIFO (realpolitik.inputs)
            data = read_regular(path, self.limits.file_bytes)
        except Refused as exc:
            message = str(exc)
            raise InputError(display, "is a directory, not a Turtle file" if message.startswith("is a directory") else message) from None
        text = _decode(display, data)
        mark = text.startswith("\ufeff")
        if mark:
            text = text[1:]
        try:
            quads = parse_turtle_quads(text)
        except SyntaxError as exc:
            raise InputError(display, _syntax_message(exc), exc.lineno, exc.offset) from None
        except ValueError as exc:  # pyoxigraph reports some input errors as ValueError
            raise InputError(display, str(exc)) from None
        except MemoryError:  # one token past the parser's 16 MiB buffer
            raise InputError(display, f"{TOKEN_TOO_LONG} (REALPOLITIK_MAX_LITERAL_CHARS)") from None
        parsed = ParsedFile(path, display, text, quads, mark, self.convert)
        _check_literals(parsed, self.limits.literal_chars)
        return parsed

    def __call__(self, path: Path, display: str | None = None) -> ParsedFile:
        return self.read(path, display)


def _decode(display: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(display, f"not UTF-8 (byte 0x{data[exc.start]:02x})", line, column) from None


def _syntax_message(exc: SyntaxError) -> str:
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    # "Parser error at line 2 between columns 11 and 26: Invalid IRI code point ' ' (line 2)"
    if ": " in message and message.startswith("Parser error"):
        message = message.split(": ", 1)[1]
    if message.endswith(")") and " (line " in message:
        message = message[: message.rfind(" (line ")]
    return message


def _check_literals(parsed: ParsedFile, longest: int) -> None:
    from realpolitik.store.terms import Literal

    bad = None
    for quad in parsed.quads:
        obj = quad.object
        if not isinstance(obj, Literal):
            continue
        if len(obj.value) > longest:
            _fail_at_literal(
                parsed,
                obj.value,
                f"a literal of {len(obj.value):,} characters, more than the limit of {longest:,} (REALPOLITIK_MAX_LITERAL_CHARS)",
            )
        if control := _FORBIDDEN_CHARACTER.search(obj.value):
            _fail_at_literal(
                parsed,
                obj.value,
                f"a literal holds the character U+{ord(control.group()):04X}, which XML (and so RDF/XML) cannot carry",
            )
        if obj.datatype.value not in (XSD_STRING, RDF_LANGSTRING) and lexical_error(obj.value, obj.datatype.value):
            bad = obj
            break
    if bad is None:
        return
    # Only now pay for positions: find where the first ill-typed literal is written.
    for literal in parsed.positions.literals:
        reason = lexical_error(literal.lexical, literal.datatype)
        if reason:
            raise InputError(parsed.display, reason, literal.position.line, literal.position.column)
    raise InputError(parsed.display, lexical_error(bad.value, bad.datatype.value))


def _fail_at_literal(parsed: ParsedFile, value: str, message: str):
    where = next((lit.position for lit in parsed.positions.literals if lit.lexical == value), None)
    raise InputError(parsed.display, message, where.line if where else None, where.column if where else None)

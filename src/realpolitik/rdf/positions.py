"""Where things are written in a Turtle file.

pyoxigraph parses strictly but does not say on which line a triple stands. This module
walks the Turtle grammar once more, over a file that has already parsed, and records
positions: where each subject is described, where each predicate of a subject is
written, where every IRI is used, and where every literal stands. Validation findings
use it to point at a file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n\ufeff]+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
  | (?P<hathat>\^\^)
  | (?P<bnode>_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)
  | (?P<number>[+-]?(?:[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+(?:[eE][+-]?[0-9]+)?))
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF](?:[A-Za-z0-9_\-.\u00B7\u00C0-\uFFFF]*[A-Za-z0-9_\-\u00B7\u00C0-\uFFFF])?)?:
               (?:(?:[A-Za-z0-9_:\u00C0-\uFFFF]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])
                  (?:(?:[A-Za-z0-9_\-:.\u00B7\u00C0-\uFFFF]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*
                     (?:[A-Za-z0-9_\-:\u00B7\u00C0-\uFFFF]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]))?)?)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[\[\]().;,])
    """,
    re.VERBOSE,
)

_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)


def _unescape_string(body: str) -> str:
    def repl(m):
        e = m.group(1)
        if e[0] in "uU":
            return chr(int(e[1:], 16))
        return _ESCAPES.get(e, e)

    return _STRING_ESCAPE.sub(repl, body)


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class LiteralAt:
    lexical: str
    datatype: str | None
    language: str | None
    position: Position


@dataclass
class NestedNode:
    """A blank node written as ``[ ... ]`` inside the description of ``root``."""

    root: str
    path: tuple[str, ...]
    position: Position
    literals: frozenset[str]


@dataclass
class FilePositions:
    subjects: dict[str, Position] = field(default_factory=dict)
    statements: dict[tuple[str, str], Position] = field(default_factory=dict)
    uses: dict[str, list[Position]] = field(default_factory=dict)
    literals: list[LiteralAt] = field(default_factory=list)
    nested: list[NestedNode] = field(default_factory=list)

    def subject(self, key: str) -> Position | None:
        return self.subjects.get(key)

    def statement(self, subject: str, predicate: str) -> Position | None:
        return self.statements.get((subject, predicate))

    def first_use(self, key: str) -> Position | None:
        found = self.uses.get(key)
        return found[0] if found else None


class _Scanner:
    def __init__(self, text: str, base: str | None):
        self.text = text
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.tokens = self._tokenize(text)
        self.i = 0
        self.out = FilePositions()

    @staticmethod
    def _tokenize(text: str):
        tokens = []
        line, line_start, pos = 1, 0, 0
        n = len(text)
        while pos < n:
            m = _TOKEN.match(text, pos)
            if not m:
                raise ValueError(f"unexpected character at line {line}")
            kind = m.lastgroup
            value = m.group()
            if kind not in ("ws", "comment"):
                tokens.append((kind, value, Position(line, pos - line_start + 1)))
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = pos + value.rfind("\n") + 1
            pos = m.end()
        return tokens

    # -- token helpers -------------------------------------------------------
    def peek(self, offset: int = 0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else (None, None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect_punct(self, value: str):
        kind, v, pos = self.take()
        if kind != "punct" or v != value:
            raise ValueError(f"expected {value!r} at {pos}")

    # -- terms -----------------------------------------------------------------
    def iri(self, kind: str, value: str) -> str:
        if kind == "iri":
            ref = _unescape_string(value[1:-1])
            return urljoin(self.base, ref) if self.base else ref
        prefix, _, local = value.partition(":")
        local = re.sub(r"\\(.)", r"\1", local)
        return self.prefixes.get(prefix, prefix + ":") + local

    def use(self, key: str, pos: Position):
        self.out.uses.setdefault(key, []).append(pos)

    # -- grammar ---------------------------------------------------------------
    def run(self) -> FilePositions:
        while self.i < len(self.tokens):
            kind, value, pos = self.peek()
            low = value.lower() if kind == "word" else value
            if kind == "langtag" and value in ("@prefix", "@base"):
                self.take()
                self.directive(value[1:], sparql=False)
            elif kind == "word" and low in ("prefix", "base"):
                self.take()
                self.directive(low, sparql=True)
            else:
                self.triples()
                self.expect_punct(".")
        return self.out

    def directive(self, which: str, sparql: bool):
        if which == "prefix":
            _, pname, _ = self.take()
            _, iri, _ = self.take()
            self.prefixes[pname[:-1]] = self.iri("iri", iri)
        else:
            _, iri, _ = self.take()
            self.base = self.iri("iri", iri)
        if not sparql:
            self.expect_punct(".")

    def triples(self):
        kind, value, pos = self.peek()
        if kind == "punct" and value == "[":
            key = self.blank_property_list(root=None, path=())
            if self.peek()[1] != ".":
                self.predicate_object_list(key, root=key, path=())
            return
        key = self.subject()
        self.out.subjects.setdefault(key, pos)
        self.predicate_object_list(key, root=key, path=())

    def subject(self) -> str:
        kind, value, pos = self.take()
        if kind in ("iri", "pname"):
            key = self.iri(kind, value)
            self.use(key, pos)
            return key
        if kind == "bnode":
            return value
        if kind == "punct" and value == "(":
            self.i -= 1
            return self.collection(root=None, path=())
        raise ValueError(f"unexpected subject {value!r} at {pos}")

    def predicate_object_list(self, subject: str, root: str | None, path: tuple[str, ...]):
        while True:
            kind, value, pos = self.take()
            if kind == "word" and value == "a":
                predicate = RDF_TYPE
            else:
                predicate = self.iri(kind, value)
                self.use(predicate, pos)
            self.out.statements.setdefault((subject, predicate), pos)
            self.object_list(root, path + (predicate,))
            while self.peek()[1] == ";":
                self.take()
            nxt = self.peek()
            if nxt[0] is None or (nxt[0] == "punct" and nxt[1] in ".]"):
                return

    def object_list(self, root, path):
        self.object(root, path)
        while self.peek()[1] == ",":
            self.take()
            self.object(root, path)

    def object(self, root, path):
        kind, value, pos = self.peek()
        if kind in ("iri", "pname"):
            self.take()
            self.use(self.iri(kind, value), pos)
        elif kind == "bnode":
            self.take()
        elif kind == "punct" and value == "[":
            self.blank_property_list(root, path)
        elif kind == "punct" and value == "(":
            self.collection(root, path)
        elif kind in ("string", "long"):
            self.take()
            quote_len = 3 if kind == "long" else 1
            lexical = _unescape_string(value[quote_len:-quote_len])
            datatype = language = None
            if self.peek()[0] == "langtag":
                language = self.take()[1][1:]
            elif self.peek()[0] == "hathat":
                self.take()
                dkind, dvalue, dpos = self.take()
                datatype = self.iri(dkind, dvalue)
                self.use(datatype, dpos)
            self.out.literals.append(LiteralAt(lexical, datatype, language, pos))
        elif kind == "number":
            self.take()
            if "e" in value.lower():
                datatype = XSD + "double"
            elif "." in value:
                datatype = XSD + "decimal"
            else:
                datatype = XSD + "integer"
            self.out.literals.append(LiteralAt(value, datatype, None, pos))
        elif kind == "word" and value in ("true", "false"):
            self.take()
            self.out.literals.append(LiteralAt(value, XSD + "boolean", None, pos))
        else:
            raise ValueError(f"unexpected object {value!r} at {pos}")

    def blank_property_list(self, root, path) -> str:
        _, _, pos = self.take()  # "["
        key = f"_:[{pos.line}:{pos.column}]"
        start_literals = len(self.out.literals)
        if self.peek()[1] != "]":
            self.predicate_object_list(key, root, path)
        self.expect_punct("]")
        if root is not None:
            inner = frozenset(lit.lexical for lit in self.out.literals[start_literals:])
            self.out.nested.append(NestedNode(root, path, pos, inner))
        return key

    def collection(self, root, path) -> str:
        _, _, pos = self.take()  # "("
        while self.peek()[1] != ")":
            self.object(root, path)
        self.take()
        return f"_:({pos.line}:{pos.column})"


def scan(text: str, base: str | None = None) -> FilePositions:
    """Positions in a Turtle text that is known to parse."""
    return _Scanner(text, base).run()

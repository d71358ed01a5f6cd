"""A text index for the named query ``search``, kept beside the store in the cache.

``search.rq`` tests every label, title, statement and quote with ``CONTAINS`` (0.9 s on
a 1M register: 117,000 texts). Its filter depends on the text found only, so its rows
for any words are the rows it gives for the empty string (which every text contains)
whose text holds the words, in the same order. Those rows are kept in SQLite, ranked
in the query's order, with each text lowercased under an FTS5 index with the trigram
tokenizer, which finds a substring of three characters or more without reading every
text; shorter words are looked for with ``instr``. Each text found is tested again as
``search.rq`` tests it. Tests hold the rows equal to the query's.

The index is built by the first search after the store changes (2 s on a 1M register)
and names the version of the store it was built from (realpolitik.cache.version);
where the cache folder cannot be written, or SQLite lacks FTS5, ``search.rq`` runs as
written.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from realpolitik.store import engine as ox

FORMAT = "1"  # changed whenever what the index holds changes
FILE = "search-index.sqlite"



def search(dataset, every: str, text: str):
    """search.rq's variables and rows for ``text`` on ``dataset`` (the cache's store,
    a ``realpolitik.store.dataset.Dataset`` that names its folder and the version it
    holds; see realpolitik.cache.version), ``every`` being the query for every row; None
    where the index cannot be used."""
    needle = text.lower()
    try:
        connection = _index(dataset, dataset.folder / FILE, dataset.version, every)
        with connection:
            variables = json.loads(connection.execute("SELECT value FROM meta WHERE name = 'variables'").fetchone()[0])
            if len(needle) >= 3:
                found = connection.execute(
                    "SELECT lowered, terms FROM rows WHERE rank IN (SELECT rowid FROM words WHERE words MATCH ?) "
                    "ORDER BY rank", ('"' + needle.replace('"', '""') + '"',),
                )
            else:
                found = connection.execute("SELECT lowered, terms FROM rows WHERE instr(lowered, ?) > 0 ORDER BY rank", (needle,))
            rows = [tuple(_term(*t) for t in json.loads(terms)) for lowered, terms in found if needle in lowered]
        connection.close()
    except (OSError, sqlite3.Error):
        return None
    return variables, rows


def _index(dataset, path: Path, version: str, every: str) -> sqlite3.Connection:
    if path.is_file():
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("SELECT value FROM meta WHERE name = 'version'").fetchone() == (FORMAT + version,):
                return connection
        except sqlite3.Error:  # not an index of this format: built again below
            pass
        connection.close()
    _build(dataset, path, FORMAT + version, every)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _build(dataset, path: Path, version: str, every: str) -> None:
    """Write the index beside ``path`` and swap it in whole."""
    solutions = dataset.query(every, union=True)
    variables = [v.value for v in solutions.variables]
    match = variables.index("match")
    staging = path.with_name(f"{path.name}.{os.getpid()}.part")
    staging.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(staging)
        with connection:
            connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
            connection.execute("CREATE TABLE rows (rank INTEGER PRIMARY KEY, lowered TEXT, terms TEXT)")
            connection.execute(
                "CREATE VIRTUAL TABLE words USING fts5(lowered, content='rows', content_rowid='rank', "
                "tokenize='trigram case_sensitive 1')"
            )
            connection.executemany(
                "INSERT INTO rows VALUES (?, ?, ?)",
                ((rank, row[match].value.lower(), json.dumps([_columns(t) for t in row]))
                 for rank, row in enumerate(solutions)),
            )
            connection.execute("INSERT INTO words(words) VALUES ('rebuild')")
            connection.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
            connection.execute("INSERT INTO meta VALUES ('variables', ?)", (json.dumps(variables),))
        connection.close()
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)


def _columns(term) -> list:
    if term is None:
        return [None]
    if isinstance(term, ox.Literal):
        return ["l", term.value, term.language, term.datatype.value]
    return ["i", term.value]


def _term(kind, value=None, language=None, datatype=None):
    if kind is None:
        return None
    if kind == "i":
        return ox.NamedNode(value)
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))

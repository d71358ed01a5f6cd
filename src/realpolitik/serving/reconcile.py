"""``/reconcile``: the Reconciliation Service API (0.2, as OpenRefine speaks it) over the
dataset's actors, legal instruments (agreements, laws, programmes) and weapon systems.

An entity is matched by its names: its ``rdfs:label`` and its ``skos:altLabel`` aliases.
A capital or seat of government is an alias of its state in the data (docs/iris.md:
"Tehran's aid" is Iran's), so "Tehran" reconciles to Iran; places are not offered.
Each name is scored against the query text, and an entity's score is its best name's:

- 100: the label, exactly as written;
- 95: an alias, exactly as written;
- 85: a label or alias equal once case, diacritics and punctuation are set aside;
- up to 70: the share of words in common (70 × shared / all the words of both).

Each property given with a query (``isoCode``, ``wikidata``, ``designation``) adds 5 when
the entity holds that value and takes 20 away when it holds only others; scores never go
below 0. A candidate is a ``match`` when it scores 85 or more and no other does.

A batch holds at most MAX_QUERIES queries, each at most MAX_TEXT characters and asking
for at most MAX_LIMIT candidates; anything else is refused with 400 and one line.
"""

from __future__ import annotations

import html
import json
import re
import threading
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from realpolitik.namespaces import BASE
from realpolitik.serving.refused import Refused

IDS = BASE + "id/"
ONTOLOGY = BASE + "ontology#"
MAX_QUERIES = 1000  # OpenRefine sends 10 at a time unless told otherwise
MAX_TEXT = 1000
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
MAX_FORM_BYTES = 1024 * 1024
ROOTS = {"Actor": "Actor (state, organization, person, group)",
         "LegalInstrument": "Legal instrument (agreement, law, programme)",
         "WeaponSystem": "Weapon system"}
PROPERTIES = {  # id (the ontology's rp:<id>, but claims) -> (name, how extend gives a value)
    "isoCode": ("ISO 3166-1 alpha-3 code", "str"),
    "wikidata": ("Wikidata id", "str"),
    "designation": ("Designation", "str"),
    "claims": ("Claims about it", "int"),
}
JSON = "application/json"
CORS = {"Access-Control-Allow-Origin": "*"}  # read-only and public: any page may ask
CALLBACK = re.compile(r"[A-Za-z_$][\w$.]{0,99}")


def words(text: str) -> list[str]:
    """``text``'s words with case, diacritics and punctuation set aside."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"\w+", plain.casefold())


def name_score(query: str, query_words: list[str], name: str, is_label: bool,
               name_words: list[str] | None = None) -> float:
    """How well ``name`` (a label or an alias; ``name_words`` its words, if at hand)
    matches ``query``, 0 to 100 (see above)."""
    if query == name:
        return 100.0 if is_label else 95.0
    name_words = words(name) if name_words is None else name_words
    if query_words and query_words == name_words:
        return 85.0
    shared, both = set(query_words) & set(name_words), set(query_words) | set(name_words)
    return round(70.0 * len(shared) / len(both), 2) if shared else 0.0


@dataclass
class Entity:
    id: str  # its IRI without IDS
    label: str
    aliases: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # its classes and their superclasses up to a root
    values: dict = field(default_factory=dict)  # property id -> sorted values (str, or int for claims)
    keyed_names: list = field(default_factory=list)  # (name, is it the label, its words), worked out once

    def names(self):
        yield self.label, True
        for alias in self.aliases:
            yield alias, False

    def type_list(self) -> list[dict]:
        return [{"id": t, "name": ROOTS.get(t, t)} for t in self.types]


ENTITIES = """
SELECT DISTINCT ?e ?type WHERE {
  VALUES ?root { rp:Actor rp:LegalInstrument rp:WeaponSystem }
  ?e a ?class . ?class rdfs:subClassOf* ?type . ?type rdfs:subClassOf* ?root .
  FILTER (STRSTARTS(STR(?e), "https://w3id.org/realpolitik/id/") && STRSTARTS(STR(?type), STR(rp:)))
}"""
NAMES = """
SELECT DISTINCT ?e ?p ?name WHERE {
  VALUES ?p { rdfs:label skos:altLabel }
  ?e ?p ?name . FILTER (STRSTARTS(STR(?e), "https://w3id.org/realpolitik/id/"))
}"""
VALUES = """
SELECT DISTINCT ?e ?p ?v WHERE {
  VALUES ?p { rp:isoCode rp:wikidata rp:designation }
  ?e ?p ?v . FILTER (STRSTARTS(STR(?e), "https://w3id.org/realpolitik/id/"))
}"""
CLAIMS = "SELECT ?e (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a rp:Claim ; rp:about ?e } GROUP BY ?e"


class Index:
    """The entities reconciled against, read from the store once, on first use."""

    def __init__(self, store):
        self.store, self._lock, self._entities = store, threading.Lock(), None

    @property
    def entities(self) -> dict[str, Entity]:
        with self._lock:
            if self._entities is None:
                self._entities = self._read()
            return self._entities

    def _select(self, text: str):
        from realpolitik.querying import with_prefixes

        return self.store.select(with_prefixes(text)).rows

    def _read(self) -> dict[str, Entity]:
        types: dict[str, set] = {}
        for e, t in self._select(ENTITIES):
            types.setdefault(e.value[len(IDS):], set()).add(t.value[len(ONTOLOGY):])
        labels: dict[str, list] = {}
        aliases: dict[str, set] = {}
        for e, p, name in self._select(NAMES):
            key = e.value[len(IDS):]
            if key in types:
                if p.value.endswith("#label"):
                    labels.setdefault(key, []).append((getattr(name, "language", None) != "en", name.value))
                else:
                    aliases.setdefault(key, set()).add(name.value)
        found = {}
        for key in sorted(types):
            if key not in labels:
                continue  # nothing to match it by
            label = min(labels[key])[1]  # English first
            others = {n for _, n in labels[key]} | aliases.get(key, set())
            order = sorted(types[key], key=lambda t: (t in ROOTS, t))  # the most specific first
            entity = found[key] = Entity(key, label, sorted(others - {label}), order)
            entity.keyed_names = [(name, is_label, words(name)) for name, is_label in entity.names()]
        for e, p, v in self._select(VALUES):
            key = e.value[len(IDS):]
            if key in found:
                value = v.value.rsplit("/", 1)[-1] if p.value.endswith("#wikidata") else v.value
                found[key].values.setdefault(p.value[len(ONTOLOGY):], []).append(value)
        for e, n in self._select(CLAIMS):
            key = e.value[len(IDS):]
            if key in found:
                found[key].values["claims"] = [int(n.value)]
        for entity in found.values():
            for pid in PROPERTIES:
                entity.values[pid] = sorted(entity.values.get(pid, [0] if pid == "claims" else []))
        return found

    def get(self, given: str) -> Entity | None:
        return self.entities.get(given[len(IDS):] if given.startswith(IDS) else given)


def _type_id(given: str) -> str:
    for prefix in (ONTOLOGY, "rp:"):
        if given.startswith(prefix):
            return given[len(prefix):]
    return given


def known_types(index: Index) -> set[str]:
    return {t for e in index.entities.values() for t in e.types}


# Reading requests


async def read_fields(request) -> dict[str, str]:
    """The request's fields: its query string, and for a POST its form (at most
    MAX_FORM_BYTES); a field given twice is refused."""
    fields = list(request.query_params.multi_items())
    if request.method == "POST":
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise Refused(413, f"the request is longer than {MAX_FORM_BYTES:,} bytes")
        if body:
            if media != "application/x-www-form-urlencoded":
                raise Refused(415, f"a POST to /reconcile is a form (application/x-www-form-urlencoded), not {media or 'without a Content-Type'}")
            try:
                fields += urllib.parse.parse_qsl(bytes(body).decode("utf-8"), keep_blank_values=True, max_num_fields=20)
            except (UnicodeDecodeError, ValueError) as exc:
                raise Refused(400, f"the form cannot be read: {exc}") from None
    given: dict[str, str] = {}
    for key, value in fields:
        if key in given:
            raise Refused(400, f"{key[:40]}: give it once")
        given[key] = value
    return given


def _json(text: str, what: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Refused(400, f"{what}: not JSON ({str(exc).splitlines()[0][:80]})") from None


@dataclass
class Query:
    key: str
    text: str
    types: list[str]
    limit: int
    properties: list[tuple[str, list[str]]]


def _property_values(v) -> list[str]:
    values = v if isinstance(v, list) else [v]
    found = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("id", value.get("name"))
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise TypeError
        found.append(str(value))
    return found


def read_queries(text: str, types: set[str]) -> list[Query]:
    """The batch in ``queries=``, each query checked; Refused says which and why."""
    batch = _json(text, "queries")
    if not isinstance(batch, dict):
        raise Refused(400, 'queries: a JSON object of queries by key ({"q0": {"query": "..."}})')
    if len(batch) > MAX_QUERIES:
        raise Refused(400, f"queries: {len(batch):,} queries in one batch; at most {MAX_QUERIES:,}")
    read = []
    for key, asked in batch.items():
        where = f"queries[{json.dumps(key[:40])}]"
        if not isinstance(asked, dict):
            raise Refused(400, f"{where}: a JSON object with query, not {type(asked).__name__}")
        query = asked.get("query")
        if not isinstance(query, str) or not query.strip():
            raise Refused(400, f"{where}.query: a text to match is needed")
        if len(query) > MAX_TEXT:
            raise Refused(400, f"{where}.query: {len(query):,} characters; at most {MAX_TEXT:,}")
        wanted = asked.get("type")
        wanted = [] if wanted in (None, "") else wanted if isinstance(wanted, list) else [wanted]
        if not all(isinstance(t, str) for t in wanted):
            raise Refused(400, f"{where}.type: a type id or a list of them")
        wanted = [_type_id(t) for t in wanted]
        unknown = [t for t in wanted if t not in types]
        if unknown:
            raise Refused(400, f"{where}.type: {unknown[0][:60]!r} is not a type here ({', '.join(sorted(ROOTS))} "
                          "or one of their subclasses)")
        limit = asked.get("limit", DEFAULT_LIMIT)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= MAX_LIMIT:
            raise Refused(400, f"{where}.limit: a whole number from 1 to {MAX_LIMIT}")
        properties = asked.get("properties") or []
        if not isinstance(properties, list):
            raise Refused(400, f"{where}.properties: a list of {{\"pid\": ..., \"v\": ...}}")
        read_properties = []
        for n, prop in enumerate(properties):
            pid = prop.get("pid") if isinstance(prop, dict) else None
            if pid not in PROPERTIES or pid == "claims":
                raise Refused(400, f"{where}.properties[{n}].pid: one of isoCode, wikidata, designation")
            try:
                read_properties.append((pid, [words_key(v) for v in _property_values(prop.get("v"))]))
            except TypeError:
                raise Refused(400, f"{where}.properties[{n}].v: a text, a number, {{\"id\": ...}} or a list of them") from None
        read.append(Query(key, query, wanted, limit, read_properties))
    return read


def words_key(value: str) -> str:
    return " ".join(words(value))


# Answers


def candidates(index: Index, query: Query) -> list[dict]:
    """The best candidates for ``query``, best first (ties by name, then id)."""
    query_words = words(query.text)
    text = query.text.strip()
    scored = []
    for entity in index.entities.values():
        if query.types and not set(query.types) & set(entity.types):
            continue
        score = max(name_score(text, query_words, name, is_label, keys) for name, is_label, keys in entity.keyed_names)
        if score <= 0:
            continue
        for pid, values in query.properties:
            held = {words_key(str(v)) for v in entity.values.get(pid, [])}
            if held & set(values):
                score += 5
            elif held:
                score -= 20
        if score > 0:
            scored.append((score, entity))
    scored.sort(key=lambda s: (-s[0], s[1].label, s[1].id))
    strong = [s for s, _ in scored if s >= 85]
    return [{"id": entity.id, "name": entity.label, "type": entity.type_list(), "score": score,
             "match": n == 0 and len(strong) == 1}
            for n, (score, entity) in enumerate(scored[:query.limit])]


def manifest(base: str) -> dict:
    """The service's manifest; ``base`` is the URL of /reconcile."""
    return {
        "versions": ["0.2"],
        "name": "realpolitik",
        "identifierSpace": IDS,
        "schemaSpace": ONTOLOGY,
        "defaultTypes": [{"id": t, "name": name} for t, name in ROOTS.items()],
        "view": {"url": IDS + "{{id}}"},
        "preview": {"url": base + "/preview?id={{id}}", "width": 400, "height": 160},
        "suggest": {kind: {"service_url": base, "service_path": f"/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
        "extend": {"propose_properties": {"service_url": base, "service_path": "/properties"},
                   "property_settings": []},
    }


def reconcile(index: Index, text: str) -> dict:
    queries = read_queries(text, known_types(index))
    return {q.key: {"result": candidates(index, q)} for q in queries}


def extend(index: Index, text: str) -> dict:
    """``extend={"ids": [...], "properties": [{"id": ...}]}``: each entity's values."""
    asked = _json(text, "extend")
    ids = asked.get("ids") if isinstance(asked, dict) else None
    properties = asked.get("properties") if isinstance(asked, dict) else None
    if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        raise Refused(400, "extend.ids: a list of entity ids")
    if len(ids) > MAX_QUERIES:
        raise Refused(400, f"extend.ids: {len(ids):,} ids in one request; at most {MAX_QUERIES:,}")
    if not (isinstance(properties, list) and all(isinstance(p, dict) for p in properties)):
        raise Refused(400, 'extend.properties: a list of {"id": ...}')
    pids = [p.get("id") for p in properties]
    for n, pid in enumerate(pids):
        if pid not in PROPERTIES:
            raise Refused(400, f"extend.properties[{n}].id: one of {', '.join(PROPERTIES)}")
    rows = {}
    for given in ids:
        entity = index.get(given)
        rows[given] = {pid: ([{PROPERTIES[pid][1]: v} for v in entity.values[pid]] if entity else []) for pid in pids}
    return {"meta": [{"id": pid, "name": PROPERTIES[pid][0]} for pid in pids], "rows": rows}


def proposed_properties(index: Index, type_: str | None, limit: str | None) -> dict:
    wanted = _type_id(type_ or "")
    if wanted and wanted not in known_types(index):
        raise Refused(400, f"type: {wanted[:60]!r} is not a type here")
    held = {pid for e in index.entities.values() if not wanted or wanted in e.types
            for pid, values in e.values.items() if values and values != [0]} | {"claims"}
    properties = [{"id": pid, "name": PROPERTIES[pid][0]} for pid in PROPERTIES if pid in held]
    if limit is not None:
        if not (limit.isdigit() and len(limit) <= 6):
            raise Refused(400, "limit: a whole number")
        properties = properties[:int(limit)]
    return {"type": wanted or None, "properties": properties}


def _description(entity: Entity) -> str:
    codes = [v for pid in ("isoCode", "designation") for v in entity.values[pid]]
    return " · ".join([entity.types[0], *codes])


def suggest(index: Index, kind: str, prefix: str, type_: str | None, cursor: str | None) -> dict:
    """Entities, types or properties whose name (or a word of it) begins with ``prefix``."""
    if len(prefix) > MAX_TEXT:
        raise Refused(400, f"prefix: {len(prefix):,} characters; at most {MAX_TEXT:,}")
    start = 0
    if cursor:
        if not (cursor.isdigit() and len(cursor) <= 6):
            raise Refused(400, "cursor: a whole number")
        start = int(cursor)
    asked = words_key(prefix)

    def begins(name: str) -> int | None:
        """0 when the name begins with the prefix, 1 when a word of it does."""
        key = words_key(name)
        if key.startswith(asked):
            return 0
        return 1 if any(key[i:].startswith(asked) for i in (m.end() for m in re.finditer(" ", key))) else None

    found = []
    if kind == "entity":
        wanted = _type_id(type_) if type_ else None
        for entity in index.entities.values():
            if wanted and wanted not in entity.types:
                continue
            ranks = [r for r in (begins(n) for n, _ in entity.names()) if r is not None]
            if ranks:
                found.append((min(ranks), entity.label, {"id": entity.id, "name": entity.label,
                                                         "description": _description(entity),
                                                         "notable": entity.type_list()}))
    elif kind == "type":
        for t in sorted(known_types(index)):
            rank = begins(t)
            if rank is not None:
                found.append((rank, t, {"id": t, "name": ROOTS.get(t, t)}))
    else:
        for pid, (name, _) in PROPERTIES.items():
            ranks = [r for r in (begins(pid), begins(name)) if r is not None]
            if ranks:
                found.append((min(ranks), pid, {"id": pid, "name": name}))
    found.sort(key=lambda f: (f[0], f[1]))
    return {"result": [f[2] for f in found[start:start + DEFAULT_LIMIT]]}


def preview(entity: Entity) -> str:
    """A small HTML card: the label, its types, aliases and values."""
    e = html.escape
    rows = [("Types", ", ".join(entity.types)), ("Also called", "; ".join(entity.aliases))]
    rows += [(PROPERTIES[pid][0], ", ".join(map(str, entity.values[pid]))) for pid in PROPERTIES]
    cells = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows if v)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + e(entity.label) + "</title>"
            "<style>body{font:13px sans-serif;margin:6px}th{text-align:left;padding-right:8px;vertical-align:top}"
            "</style></head><body>"
            f'<h3><a href="{e(IDS + entity.id)}" target="_blank">{e(entity.label)}</a></h3>'
            f"<table>{cells}</table></body></html>")


def routes(store):
    """The Starlette routes of /reconcile, answering from ``store``."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route

    index = Index(store)

    def answer(body, request) -> Response:
        """JSON, or for a GET with ``callback=`` JSONP (what OpenRefine falls back to
        when a browser refuses the JSON)."""
        text = json.dumps(body, ensure_ascii=False)
        callback = request.query_params.get("callback") if request.method == "GET" else None
        if callback is None:
            return Response(text, media_type=JSON, headers=CORS)
        if not CALLBACK.fullmatch(callback):
            return refused(Refused(400, "callback: a JavaScript name (letters, digits, _, $ and .)"))
        return Response(f"{callback}({text});", media_type="application/javascript", headers=CORS)

    def refused(exc: Refused) -> Response:
        return Response(" ".join(str(exc).split()) + "\n", status_code=exc.status,
                        media_type="text/plain; charset=utf-8", headers=CORS)

    def base_of(request) -> str:
        return str(request.url.replace(query="", fragment="")).rstrip("/").removesuffix("/reconcile") + "/reconcile"

    async def service(request):
        try:
            fields = await read_fields(request)
            if "queries" in fields:
                return answer(await run_in_threadpool(reconcile, index, fields["queries"]), request)
            if "extend" in fields:
                return answer(await run_in_threadpool(extend, index, fields["extend"]), request)
        except Refused as exc:
            return refused(exc)
        return answer(manifest(base_of(request)), request)

    async def card(request):
        given = request.query_params.get("id", "")
        entity = await run_in_threadpool(index.get, given) if given else None
        if entity is None:
            return refused(Refused(404, f"id: {given[:60]!r} is not an entity reconciled here"))
        return HTMLResponse(preview(entity), headers=CORS)

    async def suggested(request):
        params = request.query_params
        if request.path_params["kind"] not in ("entity", "type", "property"):
            return refused(Refused(404, "suggest: entity, type or property"))
        try:
            return answer(await run_in_threadpool(suggest, index, request.path_params["kind"],
                                                  params.get("prefix", ""), params.get("type"), params.get("cursor")), request)
        except Refused as exc:
            return refused(exc)

    async def properties(request):
        params = request.query_params
        try:
            return answer(await run_in_threadpool(proposed_properties, index, params.get("type"), params.get("limit")), request)
        except Refused as exc:
            return refused(exc)

    return [
        Route("/reconcile", service, methods=["GET", "POST"]),
        Route("/reconcile/preview", card, methods=["GET"]),
        Route("/reconcile/suggest/{kind:str}", suggested, methods=["GET"]),
        Route("/reconcile/properties", properties, methods=["GET"]),
    ]

"""The operations `bench/scale.py` measures, each run in a child process of its own so
that its peak memory is its own:

    python bench/ops.py OP PATH ROOT [ARGS...]

OP is one of the operations below, PATH ``fast`` (the package) or ``reference`` (plain
rdflib, pyshacl and owlrl). The child prints one JSON line: ``seconds`` (the operation
alone, imports and parsing excluded unless the operation is the parsing), ``parts``
(other timed steps, such as the reference's parse) and what the equality checks need
(findings, a digest of rows or of inferred triples, counts). The end-to-end command-line
operations (``realpolitik validate``, ``--help``) are run by scale.py itself.

Helpers that are not measured: ``generate`` (a synthetic register), ``prepare`` (the
named queries' parameters and the contribution's file and nodes), ``count`` (the
statements an exported file holds).
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import statistics
import sys
import time
from pathlib import Path

RP = "https://w3id.org/realpolitik/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXPORT_FORMATS = {"nt": "nt", "nq": "nquads", "ttl": "turtle", "trig": "trig"}  # -> rdflib's names


def now() -> float:
    return time.perf_counter()


def emit(**result) -> None:
    print(json.dumps(result, ensure_ascii=False))


# ---- the dataset as plain rdflib reads it (the reference path) -------------------------------


def dataset(root: str):
    from realpolitik.dataset import files

    return files(Path(root))


def rdflib_parse(paths, graph=None):
    """Plain rdflib, as someone without the package would read the files."""
    from rdflib import Graph

    graph = Graph() if graph is None else graph
    for path in paths:
        graph.parse(str(path), format="turtle")
    return graph


class Nowhere:
    """A locator for the reference run: file and line are not part of the comparison."""

    def node(self, node, path=None):
        return None, None


def normalised(findings) -> list[list]:
    """SHACL findings as compared: (severity, focus, path, component, shape, value, message)."""
    rows = [[f.severity, f.focus, f.path, f.component, f.shape, f.value, f.message] for f in findings]
    return sorted(rows, key=lambda r: [x or "" for x in r])


# ---- operations ----------------------------------------------------------------------------


def op_open(path: str, root: str, args: list[str]) -> None:
    if path in ("fast", "memory"):  # memory: the cached store copied into memory
        from realpolitik.cache import open_dataset

        start = now()
        store = open_dataset(Path(root), memory=path == "memory").store
        seconds = now() - start
        emit(seconds=seconds, statements=len(store))
    else:
        ds = dataset(root)
        paths = ds.ontology_files() + ds.data_files()
        start = now()
        graph = rdflib_parse(paths)
        emit(seconds=now() - start, statements=len(graph))


def reference_graphs(root: str):
    ds = dataset(root)
    start = now()
    ontology = rdflib_parse(ds.ontology_files())
    shapes = rdflib_parse(ds.shape_files())
    data = rdflib_parse(ds.data_files())
    return ontology, shapes, data, now() - start


def op_validate(path: str, root: str, args: list[str]) -> None:
    """The reference's full SHACL run: pyshacl as the package calls it, without the
    package's own speed-ups."""
    from pyshacl import validate

    from realpolitik.validation import shacl

    ontology, shapes, data, parse = reference_graphs(root)
    start = now()
    _, results, text = validate(
        data + shacl.vocabulary(ontology), shacl_graph=shapes, ont_graph=ontology,
        inference="none", allow_warnings=True,
    )
    seconds, peak = now() - start, peak_mb()
    emit(seconds=seconds, peak_mb=peak, parts={"parse": parse}, findings=normalised(as_findings(results, text, data, shapes)))


def as_findings(results, text: str, data, shapes) -> list:
    """pyshacl's report normalised as the package normalises it (validation/shacl.py)."""
    from rdflib import Graph

    from realpolitik.validation import shacl

    if not isinstance(results, Graph):
        raise SystemExit(f"pyshacl could not apply the shapes: {text}")
    return shacl.findings(shacl.report_results(results), shapes, data, Nowhere(), paths=results)


def targeted(shapes, graph, nodes: list) -> dict:
    """Which of ``nodes`` each shape targets. pyshacl applies ``use_shapes`` to every
    node of ``focus_nodes`` without checking its targets, so nodes are grouped by the
    shapes that target them."""
    from rdflib import RDF, RDFS, URIRef
    from rdflib.namespace import SH

    out: dict = {}
    for shape in set(shapes.subjects(SH.targetClass)) | set(shapes.subjects(SH.targetNode)) | set(
        shapes.subjects(SH.targetSubjectsOf)) | set(shapes.subjects(SH.targetObjectsOf)):
        if not isinstance(shape, URIRef):
            raise SystemExit(f"a blank shape with targets cannot be named in use_shapes: {shape}")
        hits = set()
        for cls in shapes.objects(shape, SH.targetClass):
            classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
            hits |= {n for n in nodes if any(c in classes for c in graph.objects(n, RDF.type))}
        hits |= {n for n in nodes if n in set(shapes.objects(shape, SH.targetNode))}
        for p in shapes.objects(shape, SH.targetSubjectsOf):
            hits |= {n for n in nodes if (n, p, None) in graph}
        for p in shapes.objects(shape, SH.targetObjectsOf):
            hits |= {n for n in nodes if (None, p, n) in graph}
        for n in hits:
            out.setdefault(n, set()).add(shape)
    groups: dict = {}
    for node, by in out.items():
        groups.setdefault(frozenset(by), []).append(node)
    return groups


def op_contribution(path: str, root: str, args: list[str]) -> None:
    """pyshacl on the contribution's nodes only (``focus_nodes`` and ``use_shapes``),
    on the whole graph already parsed."""
    from pyshacl import validate
    from rdflib import URIRef

    from realpolitik.validation import shacl

    nodes = [URIRef(n) for n in json.loads(Path(args[0]).read_text())["iris"]]
    ontology, shapes, data, parse = reference_graphs(root)
    start = now()
    graph = data + shacl.vocabulary(ontology)
    # ont_graph mixed in place: pyshacl would otherwise copy the whole graph at each call.
    graph += ontology
    findings = []
    for by, group in sorted(targeted(shapes, graph, nodes).items(), key=lambda kv: sorted(kv[0])):
        _, results, text = validate(
            graph, shacl_graph=shapes, inference="none", allow_warnings=True, inplace=True,
            focus_nodes=[str(n) for n in group], use_shapes=[str(s) for s in sorted(by)],
        )
        findings += as_findings(results, text, data, shapes)
    emit(seconds=now() - start, parts={"parse": parse}, nodes=len(nodes), findings=normalised(findings))


def run_with_alarm(seconds: float, fn):
    """``fn()``, or TimeoutError after ``seconds`` (rdflib is pure Python: the alarm
    interrupts it)."""
    def ring(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def rows_digest(rows: list) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def comparable(rows, lists: list[int], distinct: bool = False) -> list:
    """Rows as sorted lists of Python values, "a; b" list columns sorted within (and
    each item once, with ``distinct``)."""
    out = []
    for row in rows:
        row = list(row)
        for i in lists:
            if isinstance(row[i], str):
                items = row[i].split("; ")
                row[i] = "; ".join(sorted(set(items) if distinct else items))
        out.append(row)
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def rdflib_value(term):
    """An rdflib term as ``realpolitik.querying.results.python_value`` gives a pyoxigraph one."""
    from rdflib import BNode, Literal, URIRef

    from realpolitik.querying.results import _NUMBERS, XSD

    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype else None
    if datatype in _NUMBERS:
        try:
            return _NUMBERS[datatype](str(term))
        except ValueError:
            return str(term)
    if datatype == XSD + "boolean":
        return str(term) in ("true", "1")
    return str(term)


_GROUP_CONCAT_DISTINCT = re.compile(r"GROUP_CONCAT\s*\(\s*DISTINCT\s+", re.IGNORECASE)
WORKAROUND = ("rdflib raises NotBoundError on GROUP_CONCAT(DISTINCT ?x) when ?x is unbound in a group "
              "(RDFLib/rdflib#716): run without DISTINCT, list items compared as sets")


def select(graph, text: str):
    result = graph.query(text)
    return list(result.vars), list(result)


def as_json_value(value):
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value


def op_queries(path: str, root: str, args: list[str]) -> None:
    """Every named query, ``repeat`` times each; the median. The fast path runs them
    through ``run_named`` (parameters resolved each time) and writes the query texts
    with their parameters bound, which the reference runs on an rdflib graph; the
    ``memory`` path does what the fast path does on the store copied into memory."""
    from realpolitik.querying import get, named

    prepared, repeat, timeout, out = json.loads(Path(args[0]).read_text()), int(args[1]), float(args[2]), Path(args[3])
    results, parts, all_rows = {}, {}, {}
    if path in ("fast", "memory"):
        from realpolitik.querying import run_named
        from realpolitik.querying.backends import Embedded
        from realpolitik.querying.params import bind, substitute
        from realpolitik.querying.results import python_value

        start = now()
        store = Embedded.cached(Path(root), memory=path == "memory")
        parts["open"] = now() - start
        # The first search after the store changed builds the text index
        # (querying.text_index): timed apart, the runs below read it.
        start = now()
        run_named("search", prepared["params"]["search"], on=store)
        parts["first_search"] = now() - start
        texts = {}
        for name in sorted(named()):
            query, params = get(name), prepared["params"][name]
            texts[name] = substitute(query.text, bind(query, params, store))
            times, result = [], None
            for _ in range(repeat):
                start = now()
                result = run_named(name, params, on=store)
                times.append(now() - start)
            rows = [[as_json_value(python_value(t)) for t in row] for row in result.rows]
            lists = [i for i, v in enumerate(result.variables) if v in query.lists]
            all_rows[name] = comparable(rows, lists)
            results[name] = {"seconds": statistics.median(times), "runs": times, "rows": len(rows),
                             "digest": rows_digest(all_rows[name])}
        if path == "fast":
            (out.parent / "bound-queries.json").write_text(json.dumps(texts, indent=1), encoding="utf-8")
    else:
        from rdflib.plugins.sparql.sparql import NotBoundError

        ds = dataset(root)
        start = now()
        graph = rdflib_parse(ds.ontology_files() + ds.data_files())
        parts["parse"] = now() - start
        texts = json.loads((out.parent / "bound-queries.json").read_text(encoding="utf-8"))
        for name in sorted(named()):
            query = get(name)
            times, rows, text, workaround = [], None, texts[name], None
            try:
                for _ in range(repeat):
                    start = now()
                    try:
                        result = run_with_alarm(timeout, lambda: select(graph, text))
                    except NotBoundError:
                        if workaround:
                            raise
                        # rdflib fails on GROUP_CONCAT(DISTINCT ?x) where ?x is unbound in a
                        # group (RDFLib/rdflib#716): the same query without DISTINCT, its
                        # list items then compared as sets.
                        text, workaround = _GROUP_CONCAT_DISTINCT.sub("GROUP_CONCAT(", text), WORKAROUND
                        if text == texts[name]:
                            raise
                        start = now()
                        result = run_with_alarm(timeout, lambda: select(graph, text))
                    times.append(now() - start)
            except TimeoutError:
                results[name] = {"timed_out": True, "seconds": None, "timeout": timeout}
                print(json.dumps({"progress": name, "timed_out": True}), file=sys.stderr, flush=True)
                continue
            except Exception as exc:  # rdflib cannot run it: said, and the rows compare unequal
                results[name] = {"error": f"{type(exc).__name__}: {exc}", "seconds": None}
                print(json.dumps({"progress": name, "error": results[name]["error"]}), file=sys.stderr, flush=True)
                continue
            variables, raw = result
            names = [str(v) for v in variables]
            rows = [[as_json_value(rdflib_value(row[v])) for v in variables] for row in raw]
            lists = [i for i, v in enumerate(names) if v in query.lists]
            all_rows[name] = comparable(rows, lists, distinct=bool(workaround))
            results[name] = {"seconds": statistics.median(times), "runs": times, "rows": len(rows),
                             "digest": rows_digest(all_rows[name])}
            if workaround:
                results[name]["workaround"] = workaround
            print(json.dumps({"progress": name, "seconds": results[name]["seconds"]}), file=sys.stderr, flush=True)
    out.write_text(json.dumps(all_rows, ensure_ascii=False, indent=0, default=str), encoding="utf-8")
    emit(seconds=sum(r["seconds"] or 0 for r in results.values()), peak_mb=peak_mb(), parts=parts, queries=results)


def canonical_lines(triples, graph) -> list[str]:
    """Triples as N-Triples-like lines, each blank node named by the path to it from a
    named node in ``graph`` and by what it says: two parses of the same files name them
    alike, whatever labels rdflib gave them."""
    from rdflib import BNode, URIRef

    names: dict = {}

    def path(node) -> str:
        steps, current = [], node
        for _ in range(8):
            parent = next(iter(graph.subject_predicates(current)), None)
            if parent is None:
                break
            current, predicate = parent
            steps.insert(0, str(predicate))
            if isinstance(current, URIRef):
                return str(current) + "/" + "/".join(steps)
        return "[]/" + "/".join(steps)

    def name(node) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        if node not in names:
            said = sorted(f"{p.n3()} {o.n3()}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode))
            names[node] = "_:" + hashlib.sha256((path(node) + "|" + "|".join(said)).encode()).hexdigest()[:20]
        return names[node]

    return sorted(f"{name(s)} {name(p)} {name(o)} ." for s, p, o in triples)


def peak_mb() -> float:
    """This process's peak resident memory so far (VmHWM): the operation's, before the
    work done afterwards for the equality checks."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def op_closure(path: str, root: str, args: list[str]) -> None:
    from realpolitik.dataset import read_graph
    from realpolitik.reasoning import reason, reference

    ds = dataset(root)
    start = now()
    ontology, data = read_graph(ds.ontology_files()), read_graph(ds.data_files())
    parse = now() - start
    start = now()
    reasoned = reason(ontology, data) if path == "fast" else reference(ontology, data)
    seconds = now() - start
    peak = peak_mb()
    lines = canonical_lines(reasoned.inferred, ontology + data)
    out = Path(args[0])
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    emit(seconds=seconds, peak_mb=peak, parts={"parse": parse}, engine=reasoned.engine, inferred=len(lines), digest=digest,
         messages=reasoned.messages)


def op_export(path: str, root: str, args: list[str]) -> None:
    fmt, out = args[0], Path(args[1])
    if path == "fast":
        from realpolitik.export import export

        start = now()
        export(fmt, out, root=Path(root))
        emit(seconds=now() - start, bytes=out.stat().st_size)
        return
    from rdflib import Dataset, URIRef

    from realpolitik.release.graphs import GRAPH, graph_of

    ds = dataset(root)
    start = now()
    if fmt in ("nq", "trig"):  # the graphs a release names, as the fast export does
        graph = Dataset()
        for p in ds.ontology_files():
            graph.graph(URIRef(GRAPH + "ontology")).parse(str(p), format="turtle")
        for p in ds.data_files():
            graph.graph(URIRef(graph_of(ds.root / "data", p))).parse(str(p), format="turtle")
    else:
        graph = rdflib_parse(ds.ontology_files() + ds.data_files())
    parse = now() - start
    start = now()
    graph.serialize(destination=str(out), format=EXPORT_FORMATS[fmt], encoding="utf-8")
    emit(seconds=now() - start, parts={"parse": parse}, bytes=out.stat().st_size)


# ---- helpers, not measured -----------------------------------------------------------------


def op_generate(path: str, root: str, args: list[str]) -> None:
    from realpolitik.synthetic import generate

    sources, defects, seed = (int(a) for a in args)
    register = generate(Path(root), sources=sources, defects=defects, seed=seed)
    emit(seconds=0, planted=len(register.defects))


def _one(store, text: str):
    rows = store.query(text, use_default_graph_as_union=True)
    for row in rows:
        return row[0]
    raise SystemExit(f"nothing found for {text}")


def op_prepare(path: str, root: str, args: list[str]) -> None:
    """Parameters for the named queries that exist in the register (and return rows),
    and the contribution: the source file with the most planted defects, its nodes and
    the nodes that point at them."""
    import pyoxigraph as ox

    from realpolitik.cache import graph_name, open_store

    root_ = Path(root)
    store = open_store(root_)
    prefix = f"PREFIX rp: <{RP}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    transfer = _one(store, prefix + "SELECT ?t WHERE { ?t a rp:WeaponsTransfer } ORDER BY ?t LIMIT 1")
    recipient = _one(store, prefix + f"SELECT ?l WHERE {{ {transfer} rp:recipient/rdfs:label ?l }}").value
    supplier = _one(store, prefix + f"SELECT ?l WHERE {{ {transfer} rp:supplier/rdfs:label ?l }}").value
    party = _one(store, prefix + "SELECT ?l WHERE { ?a a rp:Agreement ; rp:party/rdfs:label ?l } ORDER BY ?l LIMIT 1").value
    office_of = _one(store, prefix + "SELECT ?l WHERE { ?o a rp:Office ; rp:officeOf/rdfs:label ?l } ORDER BY ?l LIMIT 1").value
    source = _one(store, prefix + "SELECT ?s WHERE { ?s a rp:Article } ORDER BY ?s LIMIT 1").value
    params = {
        "agreements": {"actor": party},
        "claims": {"claimant": source},
        "disputes": {"about": recipient},
        "evidence": {"fact": transfer.value},
        "offices": {"officeOf": office_of},
        "predictions": {"about": recipient},
        "relations": {"a": supplier, "b": recipient},
        "search": {"text": "Transfer 12"},
        "timeline": {"actor": recipient},
        "transfers": {"recipient": recipient},
    }
    from realpolitik.querying import named

    by_type = {"actor": recipient, "claimant": source, "source": source, "fact": transfer.value, "string": "Transfer 12"}
    for name, query in named().items():  # a query added since: its parameters by type
        if name not in params:
            params[name] = {p.name: by_type[p.type] for p in query.params if p.type in by_type
                            and (p.required or p.type == "actor")}

    manifest = json.loads((root_ / "synthetic.json").read_text(encoding="utf-8"))
    sources = sorted(p.name for p in (root_ / "data" / "sources").glob("*.ttl"))
    planted = {name: sum(1 for d in manifest["planted"] if d["file"] == f"data/sources/{name}") for name in sources}
    chosen = max(sources, key=lambda name: (planted[name], name))
    file = root_ / "data" / "sources" / chosen
    graph = graph_name(root_, file)
    subjects = {q.subject for q in store.quads_for_pattern(None, None, None, graph)}
    own = {s for s in subjects if isinstance(s, ox.NamedNode)}
    pointing = set()
    for node in own:
        pointing |= {q.subject for q in store.quads_for_pattern(None, None, node) if isinstance(q.subject, ox.NamedNode)}
    # validate --changed also checks the nodes the file points at (validation/changed.py).
    pointed = {q.object for q in store.quads_for_pattern(None, None, None, graph)
               if isinstance(q.object, ox.NamedNode) and q.predicate.value != RDF_TYPE}
    from realpolitik.namespaces import curie

    iris = sorted(n.value for n in own | pointing | pointed)
    emit(
        seconds=0, params=params, curies=[curie(i) for i in iris], file=str(file), planted_in_file=planted[chosen], statements=len(store),
        nodes=sorted(n.value for n in own), blank_nodes=len(subjects) - len(own),
        pointing=sorted(n.value for n in pointing - own), pointed=sorted(n.value for n in pointed - own), iris=iris,
    )


def op_count(path: str, root: str, args: list[str]) -> None:
    """How many statements ``root`` (an exported file) holds, as written and distinct."""
    import pyoxigraph as ox

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
               "trig": ox.RdfFormat.TRIG}
    fmt = formats[args[0]]
    written = sum(1 for _ in ox.parse(path=root, format=fmt))
    store = ox.Store()
    store.bulk_load(path=root, format=fmt)
    emit(seconds=0, statements=written, distinct=len(store))


OPS = {
    "open": op_open, "validate": op_validate, "contribution": op_contribution, "queries": op_queries,
    "closure": op_closure, "export": op_export, "generate": op_generate, "prepare": op_prepare, "count": op_count,
}


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[0] not in OPS:
        raise SystemExit(__doc__)
    op, path, root, *args = argv
    OPS[op](path, root, args)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The SPARQL 1.1 Service Description of ``/sparql``, in Turtle."""

from __future__ import annotations

FORMATS = "http://www.w3.org/ns/formats/"


def service_description(url: str, union_default_graph: bool) -> str:
    """What the endpoint at ``url`` offers: SPARQL 1.1 Query only, its result formats,
    and (where the store answers so) the union of the named graphs as default graph."""
    from realpolitik.namespaces import PREFIXES

    formats = ", ".join(f"<{FORMATS}{name}>" for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD"))
    url = _iri_safe(url)
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        f"<{url}> a sd:Service ;",
        f"  sd:endpoint <{url}> ;",
        "  sd:supportedLanguage sd:SPARQL11Query ;",
        f"  sd:resultFormat {formats} ;",
    ]
    if union_default_graph:
        lines.append("  sd:feature sd:UnionDefaultGraph ;")
    lines += [
        '  rdfs:comment "Read-only: updates and SERVICE are refused; each query is bounded in time, memory and '
        'answer size. Prefixes declared for every query: ' + " ".join(f"{p}:" for p in PREFIXES) + '" ;',
        "  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .",
        "",
    ]
    return "\n".join(lines)


def _iri_safe(url: str) -> str:
    """``url`` with what an IRI in Turtle may not hold percent-encoded (it comes from the
    request's Host header)."""
    return "".join(f"%{ord(c):02X}" if c in '<>"{}|^`\\ ' or ord(c) < 0x21 else c for c in url)

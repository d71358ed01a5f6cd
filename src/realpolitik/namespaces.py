"""The project's namespaces and the prefixes every file and query may use.

Plain strings, so that importing this module costs nothing.
"""

BASE = "https://w3id.org/realpolitik/"
RP = BASE + "ontology#"  # classes and properties
RPV = BASE + "vocab/"  # controlled vocabulary concepts (SKOS)
RPD = BASE + "id/"  # data: actors, facts, claims, sources
RPSH = BASE + "shapes#"  # SHACL shapes
RPT = BASE + "truthy/"  # the truthy graph's plain relations (release.truthy)
ONTOLOGY = BASE + "ontology"  # the index ontology; modules are ONTOLOGY + "/<name>"

PREFIXES = {
    "rp": RP,
    "rpv": RPV,
    "rpd": RPD,
    "rpsh": RPSH,
    "rpt": RPT,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sh": "http://www.w3.org/ns/shacl#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "wd": "http://www.wikidata.org/entity/",
}


def curie(iri: str) -> str:
    """Shorten an IRI with the project's prefixes, or return it in angle brackets."""
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = prefix
    if best is None:
        return f"<{iri}>"
    local = iri[len(PREFIXES[best]) :]
    if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
        return f"{best}:{local}"
    return f"<{iri}>"


def expand(short: str) -> str:
    """The IRI a CURIE of the project's prefixes (or an <IRI>) stands for: curie's inverse."""
    if short.startswith("<") and short.endswith(">"):
        return short[1:-1]
    prefix, _, local = short.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else short


def local_name(iri: str) -> str:
    """The last part of an IRI, after its # or last /: "disputed" for rpv:disputed."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

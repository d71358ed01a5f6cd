"""Quality checks: every ``qc/*-violation.rq`` query must return no rows (each row names
the node at fault, ?this, and what is wrong, ?message); and what the claims make of each
fact (realpolitik.derived) must be what the data writes: statuses and rp:isMutualDefence
as derived, and no hand-written link that the structure already says or contradicts."""

from __future__ import annotations

from rdflib import URIRef

from realpolitik.namespaces import curie
from realpolitik.validation.findings import Finding, at
from realpolitik.validation.locate import Locator


def run(store, locator: Locator) -> list[Finding]:
    """``store``: the data and ontology in a store, one graph per file (a
    realpolitik.store.dataset.Dataset, or its pyoxigraph store), queried as the union of
    its graphs."""
    from realpolitik.querying.backends import Embedded
    from realpolitik.querying.catalog import checks
    from realpolitik.store.dataset import Dataset

    store = Embedded(Dataset.over(store))
    findings = []
    for name, query in checks().items():
        result = store.select(query.text)
        for row in result.rows:
            values = dict(zip(result.variables, row))
            this, message = values.get("this"), values.get("message")
            node = URIRef(this.value) if this is not None and hasattr(this, "value") else None
            findings.append(_finding(locator, node, f"{message.value if message else 'must return no rows'} ({name})"))
    return findings + derived_findings(store, locator)


def _finding(locator: Locator, node, message: str) -> Finding:
    parsed, position = locator.node(node) if node is not None else (None, None)
    return Finding(check="qc", severity="violation", message=message,
                   focus=curie(str(node)) if node is not None else None, **at(parsed, position))


def derived_findings(store, locator: Locator) -> list[Finding]:
    """Written values that are not what the claims give, and hand links the structure
    already implies (``redundant-contradiction``) or contradicts (``corroborates-a-dispute``)."""
    from realpolitik import derived
    from realpolitik.disputes import disputes
    from realpolitik.namespaces import expand, local_name
    from realpolitik.querying.results import python_value

    def said(value, absent: str) -> str:
        if value is None:
            return absent
        return local_name(value) if isinstance(value, str) else str(value).lower()

    def select(text):
        return [tuple(python_value(t) for t in row) for row in store.select(text).rows]

    found = disputes(store)
    findings = []
    for d in derived.statuses(select, derived.disputed_facts(found)) + derived.mutual_defence(select):
        if d.agrees:
            continue
        findings.append(_finding(locator, URIRef(d.fact), f"rp:{d.property} is {said(d.written, 'absent')}, but its claims "
                                 f"make it {said(d.derived, 'left out')}: {d.why} (derived-value)"))
    for d in found:
        if d.kind == "both":
            findings.append(_finding(locator, URIRef(expand(d.a.claim)),
                                     f"rp:contradicts {d.b.claim}: the structure already says so ({' + '.join(g for g in d.grounds if g != 'contradicts')}); drop the hand link (redundant-contradiction)"))
    corroborated = {(a, b) for a, b in select(_CORROBORATES)}
    for d in found:
        pair = (expand(d.a.claim), expand(d.b.claim))
        if pair in corroborated or pair[::-1] in corroborated:
            findings.append(_finding(locator, URIRef(pair[0]),
                                     f"rp:corroborates {d.b.claim}, but they disagree: {d.basis} (corroborates-a-dispute)"))
    return findings


_CORROBORATES = "SELECT ?a ?b WHERE { ?a <https://w3id.org/realpolitik/ontology#corroborates> ?b }"

"""Quality checks written as SPARQL: every ``qc/*-violation.rq`` query must return no
rows. Each row names the node at fault (?this) and what is wrong (?message)."""

from __future__ import annotations

from rdflib import URIRef

from realpolitik.namespaces import curie
from realpolitik.validation.findings import Finding, at
from realpolitik.validation.locate import Locator


def run(store, locator: Locator) -> list[Finding]:
    """``store``: the data and ontology in a store (see realpolitik.cache), queried as the
    union of its graphs."""
    from realpolitik.querying.backends import Embedded
    from realpolitik.querying.catalog import checks

    embedded = Embedded()
    embedded.store, embedded.union = store, True
    store = embedded
    findings = []
    for name, query in checks().items():
        result = store.select(query.text)
        for row in result.rows:
            values = dict(zip(result.variables, row))
            this, message = values.get("this"), values.get("message")
            node = URIRef(this.value) if this is not None and hasattr(this, "value") else None
            parsed, position = locator.node(node) if node is not None else (None, None)
            findings.append(
                Finding(
                    check="qc",
                    severity="violation",
                    message=f"{message.value if message else 'must return no rows'} ({name})",
                    focus=curie(this.value) if node is not None else None,
                    **at(parsed, position),
                )
            )
    return findings

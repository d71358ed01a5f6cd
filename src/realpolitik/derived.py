"""What the claims make of each fact (docs/claims.md, "Values are per claim"): the
status a transfer or instrument takes from the values its claims assert, whether an
agreement is a mutual-defence alliance from the claims on its obligations, and the
hand-written links that the structure already says or contradicts.

The disagreements come from the named query ``disputes``, so "disputed" here means
what ``realpolitik disputes`` lists."""

from __future__ import annotations

from dataclasses import dataclass

from realpolitik.namespaces import RPV, expand, local_name

DISPUTED = {"transferStatus": RPV + "disputed", "legalStatus": RPV + "legal-status-disputed"}
CLAIMED = {"transferStatus": "claimedStatus", "legalStatus": "claimedLegalStatus"}
FACT_GROUNDS = ("opposite stances", "incompatible values")

_VALUES = """
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
PREFIX rpv: <https://w3id.org/realpolitik/vocab/>
SELECT ?fact ?property ?written ?claimed WHERE {
  VALUES (?property ?claimedBy) { (rp:transferStatus rp:claimedStatus) (rp:legalStatus rp:claimedLegalStatus) }
  { ?fact ?property ?written } UNION { ?claim rp:supports ?fact ; ?claimedBy ?claimed ; rp:stance rpv:affirms }
}"""

_DEFENCE = """
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
PREFIX rpv: <https://w3id.org/realpolitik/vocab/>
SELECT ?agreement ?written ?obligation ?stance WHERE {
  { ?agreement rp:isMutualDefence ?written }
  UNION {
    ?obligation rp:obligationOf ?agreement ; rp:obligationType rpv:defence-obligation ;
        rp:obligedParty ?one , ?other .
    FILTER (?one != ?other)
    ?claim rp:supports ?obligation ; rp:stance ?stance .
  }
}"""


@dataclass
class Derived:
    """One fact's written value against the value its claims give it."""

    fact: str
    property: str  # local name: transferStatus, legalStatus, isMutualDefence
    written: object  # IRI string, bool, or None when absent
    derived: object
    why: str

    @property
    def agrees(self) -> bool:
        return self.written == self.derived


def statuses(select, disputed_facts: set[str]) -> list[Derived]:
    """``select(query)`` gives rows of plain values (IRIs as strings)."""
    written: dict[tuple, str] = {}
    claimed: dict[tuple, set] = {}
    for fact, prop, value, asserted in select(_VALUES):
        key = (fact, local_name(prop))
        if value is not None:
            written[key] = value
        if asserted is not None:
            claimed.setdefault(key, set()).add(asserted)
    out = []
    for key in sorted(set(written) | set(claimed)):
        fact, prop = key
        values = claimed.get(key, set())
        if fact in disputed_facts:
            derived, why = DISPUTED[prop], "its claims disagree (realpolitik disputes)"
        elif written.get(key) in values:
            derived, why = written[key], "one of the values its claims assert"
        elif len(values) == 1:
            derived, why = next(iter(values)), "the value its claims assert"
        elif values:
            derived, why = None, "one of the values its claims assert: " + ", ".join(sorted(local_name(v) for v in values))
        else:
            derived, why = None, f"no claim asserts it (rp:{CLAIMED[prop]})"
        out.append(Derived(fact, prop, written.get(key), derived, why))
    return out


def mutual_defence(select) -> list[Derived]:
    written: dict[str, bool] = {}
    stances: dict[str, set] = {}
    for agreement, value, obligation, stance in select(_DEFENCE):
        if value is not None:
            written[agreement] = value in (True, "true", "1")
        if stance is not None:
            stances.setdefault(agreement, set()).add(local_name(stance))
    out = []
    for agreement in sorted(set(written) | set(stances)):
        seen = stances.get(agreement, set())
        if seen == {"affirms"}:
            derived, why = True, "a defence obligation binding two or more parties, affirmed and denied by no claim"
        elif seen == {"denies"}:
            derived, why = False, "its defence obligation is denied and affirmed by no claim"
        elif seen:
            derived, why = None, "claims affirm and deny its defence obligation"
        else:
            derived, why = None, "no claim speaks of a defence obligation binding two or more parties"
        out.append(Derived(agreement, "isMutualDefence", written.get(agreement), derived, why))
    return out


def disputed_facts(found) -> set[str]:
    """The facts (full IRIs) that ``disputes`` rows put in dispute."""
    return {expand(d.fact) for d in found if d.fact and any(g in FACT_GROUNDS for g in d.grounds)}


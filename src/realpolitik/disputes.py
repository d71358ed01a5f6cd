"""Where the sources disagree: the rows of the named query ``disputes`` as pairs of
sides, each with its claimant, source, stance, hedge and quote, and the grounds on which
they disagree: found from the structure of their propositions, hand-linked with
rp:contradicts, or both."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from realpolitik.namespaces import curie

HAND_LINKED = "contradicts"


@dataclass
class Side:
    claim: str
    claimant: str
    source: str
    stance: str
    modality: str
    quote: str


@dataclass
class Dispute:
    basis: str
    fact: str | None
    a: Side
    b: Side
    grounds: list[str] = field(default_factory=list)
    relation: str | None = None

    @property
    def kind(self) -> str:
        """"structural", "hand-linked", or "both"."""
        structural = any(g != HAND_LINKED for g in self.grounds)
        if HAND_LINKED in self.grounds:
            return "both" if structural else "hand-linked"
        return "structural"

    def as_dict(self) -> dict:
        return {**asdict(self), "kind": self.kind}


def disputes(on=None, about: str | None = None) -> list[Dispute]:
    from realpolitik.querying import run_named
    from realpolitik.querying.results import rows_as_dicts

    rows = rows_as_dicts(run_named("disputes", {"about": about}, on=on))
    found: dict[tuple, Dispute] = {}
    for row in rows:
        key = (row["a"], row["b"])
        if key in found:  # one pair on several grounds: one dispute that names them all
            dispute = found[key]
            if row["basis"] not in dispute.grounds:
                dispute.grounds.append(row["basis"])
                dispute.basis = " + ".join(dispute.grounds)
            dispute.fact = dispute.fact or (curie(row["fact"]) if row["fact"] else None)
            dispute.relation = dispute.relation or (curie(row["relation"]) if row["relation"] else None)
            continue

        def side(prefix: str) -> Side:
            return Side(
                claim=curie(row[prefix]),
                claimant=row[prefix + "Claimant"],
                source=row[prefix + "Source"],
                stance=row[prefix + "Stance"],
                modality=row[prefix + "Modality"],
                quote=row[prefix + "Quote"],
            )

        found[key] = Dispute(
            row["basis"], curie(row["fact"]) if row["fact"] else None, side("a"), side("b"),
            grounds=[row["basis"]], relation=curie(row["relation"]) if row["relation"] else None,
        )
    return list(found.values())

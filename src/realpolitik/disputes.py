"""Where the sources disagree: the rows of the named query ``disputes`` as pairs of
sides, each with its claimant, source, stance, hedge and quote."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from realpolitik.namespaces import curie


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

    def as_dict(self) -> dict:
        return asdict(self)


def disputes(on=None, about: str | None = None) -> list[Dispute]:
    from realpolitik.querying import run_named
    from realpolitik.querying.results import rows_as_dicts

    rows = rows_as_dicts(run_named("disputes", {"about": about}, on=on))
    found: dict[tuple, Dispute] = {}
    for row in rows:
        key = (row["a"], row["b"])
        if key in found:  # both an explicit link and opposite stances: keep the first
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

        found[key] = Dispute(row["basis"], curie(row["fact"]) if row["fact"] else None, side("a"), side("b"))
    return list(found.values())

"""A synthetic register in the project's own ontology, at any size, for benchmarks and
tests at scale.

Every source is a synthetic article: a text of sentences, and a Turtle file whose
facts (mostly SIPRI-style weapons transfers; also agreements, meetings, office
holdings and memberships) are each backed by a claim quoting one sentence of that text.
States, persons, offices and organisations live in ``data/shared/``. The result is a
dataset root (the shipped ontology and shapes are copied in) that validates with no
finding. About 26 triples a transfer: ``triples=1_000_000`` makes ~38,000 transfers,
the size of SIPRI's register.

Defects can be asked for: ``defects=N`` plants N, spread in turn over every kind the
validator checks (``DEFECT_KINDS``), each on a node the manifest names, so a run can
be checked against what was planted. Everything is seeded and deterministic.

    realpolitik synthetic --triples 100000 --defects 24 --out /tmp/register
    realpolitik --root /tmp/register validate
"""

from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from realpolitik.errors import RealpolitikError

PREFIXES = """@prefix rp: <https://w3id.org/realpolitik/ontology#> .
@prefix rpd: <https://w3id.org/realpolitik/id/> .
@prefix rpv: <https://w3id.org/realpolitik/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix wd: <http://www.wikidata.org/entity/> .

"""

CATEGORIES = {
    "aircraft": ["fighter aircraft", "transport aircraft", "combat helicopters", "trainer aircraft", "drones"],
    "air-defence-systems": ["SAM systems", "air defence guns"],
    "armoured-vehicles": ["tanks", "armoured personnel carriers", "infantry fighting vehicles"],
    "artillery": ["self-propelled guns", "towed howitzers", "rocket launchers"],
    "missiles": ["anti-tank missiles", "anti-ship missiles", "surface-to-air missiles"],
    "ships": ["frigates", "patrol craft", "submarines"],
    "sensors": ["air search radars", "fire control radars"],
    "engines": ["turbofan engines", "diesel engines"],
}
KINDS = ["sale", "aid", "licensed-production", "second-hand"]
DELIVERED_STATUSES = ["delivered"] * 8 + ["ordered", "reported"]
OTHER_STATUSES = ["declined", "withheld", "denied", "cancelled", "offered", "requested"]
SENTENCES_PER_SOURCE = 50
OTHER_FACTS = 4  # an agreement, a meeting, an office holding and a membership per source
TRIPLES_PER_SOURCE = 1300  # measured: for sizing by triples
ORGANISATIONS = 20

# Each kind of defect, and the check of `realpolitik validate` that must report it.
DEFECT_KINDS = {
    "misspelt-term": "term",
    "undescribed-iri": "undescribed",
    "described-twice": "duplicate",
    "self-transfer": "shacl",
    "over-delivered": "shacl",
    "wrong-vocabulary": "shacl",
    "missing-recipient": "shacl",
    "dates-out-of-order": "shacl",
    "checksum-mismatch": "quote",
    "personal-data": "personal",
    "quote-not-in-text": "quote",
    "orphan-entity": "qc",
    "disjoint-classes": "consistency",
}


@dataclass
class Register:
    root: Path
    sources: int
    transfers: int
    facts: int
    # {"kind", "check", "file", "focus"}: a finding of that check in that file whose
    # focus starts with "focus" (None where the check names no node) reports it.
    defects: list[dict] = field(default_factory=list)

    def manifest(self) -> dict:
        counts: dict = {}
        for defect in self.defects:
            counts[defect["kind"]] = counts.get(defect["kind"], 0) + 1
        return {
            "sources": self.sources, "transfers": self.transfers,
            "facts": self.facts, "defects": len(self.defects), "defects_by_kind": counts,
        }


def code(i: int) -> str:
    """A three-letter code for state number ``i``: AMM, AMN, ..."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def sources_for(triples: int) -> int:
    return max(1, round(triples / TRIPLES_PER_SOURCE))


MANIFEST = "synthetic.json"


class NotSynthetic(RealpolitikError):
    """The output folder holds something else: it is never replaced."""


def generate(out: Path, *, sources: int, seed: int = 1, defects: int = 0, states: int = 150) -> Register:
    """Write a dataset root with ``sources`` synthetic articles to ``out``, with its
    manifest (``synthetic.json``). An existing ``out`` is replaced only if it is empty or
    was written here; the new root is built beside it and swapped in whole."""
    import json
    import os

    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise NotSynthetic(f"{out}: not empty and not a synthetic register; refusing to replace it")
    staging = out.with_name(f".{out.name}.generating-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    register = _generate(staging, sources, seed, defects, states)
    (staging / MANIFEST).write_text(
        json.dumps({**register.manifest(), "seed": seed, "planted": register.defects}, indent=1) + "\n",
        encoding="utf-8",
    )
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    register.root = out
    return register


def _generate(out: Path, sources: int, seed: int, defects: int, states: int) -> Register:
    from realpolitik.paths import dataset_root

    rng = random.Random(seed)
    shipped = dataset_root()
    for part in ("ontology", "shapes"):
        shutil.copytree(shipped / part, out / part)
    for folder in ("texts", "sources", "shared"):
        (out / "data" / folder).mkdir(parents=True)

    codes = [code(i + 1000) for i in range(states)]
    planned = _plan_defects(defects, sources)
    register = Register(out, sources, 0, 0)
    people = [PREFIXES]
    used: dict[str, set] = {"state": set(), "office": set(), "org": set()}
    for s in range(sources):
        _write_source(out, s, codes, rng, planned.get(s, []), register, people, used)

    # Only what is referred to is described: anything else would be an orphan.
    shared = [PREFIXES]
    for i, c in enumerate(codes):
        if c in used["state"] or c in used["office"]:
            shared.append(
                f'rpd:state-{c.lower()} a rp:State ; rdfs:label "State {c}"@en ; '
                f'rp:isoCode "{c}" ; rp:wikidata wd:Q{100000 + i} .\n'
            )
        if c in used["office"]:
            shared.append(
                f'rpd:office-defence-minister-{c.lower()} a rp:Office ; '
                f'rdfs:label "Minister of Defence of State {c}"@en ; rp:officeOf rpd:state-{c.lower()} .\n'
            )
    for i in sorted(used["org"]):
        shared.append(f'rpd:org-synthetic-{i} a rp:InternationalOrganization ; rdfs:label "Organisation {i}"@en .\n')
    (out / "data" / "shared" / "actors.ttl").write_text("".join(shared), encoding="utf-8")
    (out / "data" / "shared" / "people.ttl").write_text("".join(people), encoding="utf-8")
    return register


def _plan_defects(defects: int, sources: int) -> dict[int, list[str]]:
    """Which source gets which defects: every kind in turn, the instances of a kind in
    different sources (a source takes one of each kind at most)."""
    kinds = list(DEFECT_KINDS)
    planned: dict[int, list[str]] = {}
    for i in range(defects):
        k, j = i % len(kinds), i // len(kinds)
        planned.setdefault((k + j) % sources, []).append(kinds[k])
    return planned


def _write_source(out: Path, s: int, codes, rng, defects: list[str], register: Register, people: list, used: dict) -> None:
    key = f"synthetic-register-part-{s:05d}"
    source = f"rpd:source-{key}"
    file = f"data/sources/{key}.ttl"
    sentences: list[str] = []
    blocks: list[str] = []
    pending = list(defects)

    def take(kind: str) -> bool:
        if kind in pending:
            pending.remove(kind)
            return True
        return False

    spoilt: set = set()  # transfers that already hold a defect

    def take_for(fact: str, kind: str) -> bool:
        """One defect per transfer: two on one node can hide each other (a misspelt
        rp:supplier leaves no supplier for the self-transfer rule to compare)."""
        if fact in spoilt or not take(kind):
            return False
        spoilt.add(fact)
        return True

    def plant(kind: str, focus: str | None, where: str = file) -> None:
        register.defects.append({"kind": kind, "check": DEFECT_KINDS[kind], "file": where, "focus": focus})

    def claim(n: int, fact: str, sentence: str, statement: str, hedge: str | None = None, value: str = "") -> str:
        """A claim backing ``fact``; ``value`` is what it asserts of it (rp:claimedStatus ...)."""
        sentences.append(sentence)
        quote = sentence
        if take("quote-not-in-text"):
            quote = sentence.replace(" to ", " towards ", 1) if " to " in sentence else sentence + " Indeed."
            plant("quote-not-in-text", f"rpd:claim-{key}-{n}")
        if take("personal-data"):
            statement += " Contact: press.office@example.org."
            plant("personal-data", None)
        modality = "reportedly" if hedge else "certain"
        hedge_line = f'\n    rp:hedge "{hedge}" ;' if hedge else ""
        return "\n".join([
            f"rpd:claim-{key}-{n} a rp:Claim ;",
            f"    rp:claimant {source} ;",
            f"    rp:claimKind rpv:report ; rp:stance rpv:affirms ; rp:modality rpv:{modality} ;{hedge_line}",
            f'    rp:statement "{statement}"@en ;',
            f"    rp:supports {fact} ;{value}",
            f"    rp:evidence [ a oa:SpecificResource ; oa:hasSource {source} ;",
            f'        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{quote}" ] ] .',
            "",
        ])

    transfers = SENTENCES_PER_SOURCE - OTHER_FACTS
    for n in range(transfers):
        t = s * transfers + n
        supplier, recipient = rng.sample(codes, 2)
        used["state"].add(supplier)
        category = rng.choice(list(CATEGORIES))
        item = rng.choice(CATEGORIES[category])
        year = rng.randint(1950, 2023)
        quantity = rng.randint(1, 300)
        status = rng.choice(DELIVERED_STATUSES) if rng.random() < 0.9 else rng.choice(OTHER_STATUSES)
        kind = rng.choice(KINDS)
        verb = {"delivered": "delivered", "ordered": "ordered", "reported": "reportedly supplied"}.get(
            status, f"({status})"
        )
        fact = f"rpd:transfer-{supplier.lower()}-{recipient.lower()}-{t}"
        supplier_iri, recipient_iri = f"rpd:state-{supplier.lower()}", f"rpd:state-{recipient.lower()}"
        supplier_property, delivered, first = "rp:supplier", quantity, year + 1
        status_iri = f"rpv:{status}"
        recipient_line = f"rp:recipient {recipient_iri} ;"
        if take_for(fact, "self-transfer"):
            recipient_line = f"rp:recipient {supplier_iri} ;"
            plant("self-transfer", fact)
        elif take_for(fact, "undescribed-iri"):
            recipient_line = f"rp:recipient rpd:state-undescribed-{t} ;"
            plant("undescribed-iri", f"rpd:state-undescribed-{t}")
        elif take_for(fact, "missing-recipient"):
            recipient_line = ""
            plant("missing-recipient", fact)
        if recipient_iri in recipient_line:
            used["state"].add(recipient)
        if take_for(fact, "misspelt-term"):
            supplier_property = "rp:suplier"
            plant("misspelt-term", None)
        if take_for(fact, "wrong-vocabulary"):
            status_iri = "rpv:aircraft"
            plant("wrong-vocabulary", fact)
        if status == "delivered" and take_for(fact, "over-delivered"):
            delivered = quantity + 5
            plant("over-delivered", fact)
        if status == "delivered" and take_for(fact, "dates-out-of-order"):
            first = year - 3
            plant("dates-out-of-order", fact)
        lines = [
            f"{fact} a rp:WeaponsTransfer ;",
            f"    {supplier_property} {supplier_iri} ; {recipient_line}",
            f'    rp:itemDescription "{item}"@en ; rp:weaponCategory rpv:{category} ;',
            f"    rp:transferKind rpv:{kind} ; rp:transferStatus {status_iri} ;",
            f'    rp:quantityOrdered {quantity} ; rp:orderDate "{year}"^^xsd:gYear',
        ]
        if status == "delivered":
            lines[-1] += f' ;\n    rp:quantityDelivered {delivered} ; rp:firstDelivery "{first}"^^xsd:gYear'
        lines[-1] += " ."
        sentence = f"Transfer {t}: State {supplier} {verb} {quantity} {item} to State {recipient} in {year}."
        statement = f"State {supplier} transferred {item} to State {recipient}."
        blocks.append("\n".join(lines) + "\n\n" + claim(n, fact, sentence, statement,
                                                          "reportedly" if status == "reported" else None,
                                                          f" rp:claimedStatus rpv:{status} ;"))
    register.transfers += transfers

    a, b, c = rng.sample(codes, 3)
    used["state"].update((a, b, c))
    used["office"].add(c)
    year = rng.randint(1990, 2024)
    n = transfers
    agreement = f"rpd:agreement-synthetic-{s}"
    blocks.append(
        f'{agreement} a rp:Agreement ;\n    rdfs:label "Synthetic agreement {s} of State {a} and State {b}"@en ;\n'
        f"    rp:party rpd:state-{a.lower()} , rpd:state-{b.lower()} ;\n"
        f'    rp:agreementType rpv:strategic-partnership ; rp:legalStatus rpv:planned ;\n'
        f'    rp:plannedFor "{year}"^^xsd:gYear .\n\n'
        + claim(n, agreement, f"Agreement {s}: State {a} and State {b} plan a strategic partnership for {year}.",
                f"State {a} and State {b} plan a strategic partnership.", value=" rp:claimedLegalStatus rpv:planned ;")
    )
    person_a, person_b = f"rpd:person-synthetic-{s}-a", f"rpd:person-synthetic-{s}-b"
    people.append(f'{person_a} a rp:Person ; rdfs:label "Person {s}A"@en .\n')
    if take("disjoint-classes"):
        people.append(f'{person_b} a rp:Person , rp:Place ; rdfs:label "Person {s}B"@en .\n')
        plant("disjoint-classes", person_b, "data/shared/people.ttl")
    else:
        people.append(f'{person_b} a rp:Person ; rdfs:label "Person {s}B"@en .\n')
    meeting = f"rpd:meeting-synthetic-{s}"
    blocks.append(
        f'{meeting} a rp:Meeting ;\n    rdfs:label "Synthetic meeting {s}"@en ;\n'
        f'    rp:participant {person_a} , {person_b} ;\n    rp:date "{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"^^xsd:date .\n\n'
        + claim(n + 1, meeting, f"Meeting {s}: Person {s}A met Person {s}B in {year}.",
                f"Person {s}A met Person {s}B.")
    )
    holding = f"rpd:holding-synthetic-{s}"
    blocks.append(
        f"{holding} a rp:OfficeHolding ;\n    rp:holder {person_a} ;\n"
        f"    rp:office rpd:office-defence-minister-{c.lower()} ;\n    rp:currentAsOf {source} .\n\n"
        + claim(n + 2, holding, f"Office {s}: Person {s}A is the Minister of Defence of State {c}.",
                f"Person {s}A is the Minister of Defence of State {c}.")
    )
    membership = f"rpd:membership-synthetic-{s}"
    org = rng.randrange(ORGANISATIONS)
    used["org"].add(org)
    blocks.append(
        f"{membership} a rp:Membership ;\n    rp:member rpd:state-{c.lower()} ;\n"
        f'    rp:memberOf rpd:org-synthetic-{org} ;\n    rp:startDate "{year}"^^xsd:gYear .\n\n'
        + claim(n + 3, membership, f"Membership {s}: State {c} joined Organisation {org} in {year}.",
                f"State {c} is a member of Organisation {org}.")
    )
    register.facts += SENTENCES_PER_SOURCE

    if take("described-twice"):
        blocks.append(f'rpd:state-{a.lower()} a rp:State ; rp:isoCode "{a}" .\n')
        plant("described-twice", f"rpd:state-{a.lower()}")
    if take("orphan-entity"):
        blocks.append(f'rpd:state-orphan-{s} a rp:State ; rdfs:label "Orphan state {s}"@en .\n')
        plant("orphan-entity", f"rpd:state-orphan-{s}")

    text = (f"Synthetic register, part {s}\n\n" + "\n\n".join(sentences) + "\n").encode("utf-8")
    (out / "data" / "texts" / f"{key}.txt").write_bytes(text)
    checksum = hashlib.sha256(text).hexdigest()
    if take("checksum-mismatch"):
        checksum = hashlib.sha256(text + b"changed").hexdigest()
        plant("checksum-mismatch", source)
    head = (
        f'{source} a rp:Article ;\n    rdfs:label "Synthetic register, part {s}"@en ;\n'
        f'    rp:title "Synthetic register, part {s}"@en ;\n    rp:textFile "texts/{key}.txt" ;\n'
        f'    rp:textSha256 "{checksum}" .\n\n'
    )
    (out / file).write_text(PREFIXES + head + "\n".join(blocks), encoding="utf-8")
    # A defect that found no fitting node here (say, over-delivered where nothing was
    # delivered) is not planted: the manifest lists only what was.

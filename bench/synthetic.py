"""A synthetic arms-transfer register in the project's own ontology, at any size.

Each transfer is a row of a SIPRI-style trade register (supplier, recipient, item,
category, kind, status, quantities, order and delivery years) backed by one claim whose
quote is a sentence of a synthetic source text. About 25 triples a transfer:
400 transfers make ~10k triples, 4,000 ~100k, 40,000 (the size of SIPRI's register)
~1M. Seeded and deterministic; valid against the shapes.

    python bench/synthetic.py --transfers 4000 --out /tmp/register
    realpolitik --root /tmp/register validate
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from pathlib import Path

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


def _code(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def generate(transfers: int, out: Path, seed: int = 1, states: int = 150) -> dict:
    """Write a dataset root (ontology and shapes copied from the package, synthetic
    data) to ``out`` and return counts."""
    from realpolitik.paths import dataset_root

    rng = random.Random(seed)
    shipped = dataset_root()
    if out.exists():
        shutil.rmtree(out)
    for part in ("ontology", "shapes"):
        shutil.copytree(shipped / part, out / part)
    texts = out / "data" / "texts"
    sources = out / "data" / "sources"
    texts.mkdir(parents=True)
    sources.mkdir(parents=True)

    codes = [_code(i + 1000) for i in range(states)]
    shared = [PREFIXES]
    for i, code in enumerate(codes):
        shared.append(
            f'rpd:state-{code.lower()} a rp:State ; rdfs:label "State {code}"@en ; '
            f'rp:isoCode "{code}" ; rp:wikidata wd:Q{100000 + i} .\n'
        )
    (out / "data" / "shared").mkdir()
    (out / "data" / "shared" / "states.ttl").write_text("".join(shared), encoding="utf-8")

    n_sources = (transfers + SENTENCES_PER_SOURCE - 1) // SENTENCES_PER_SOURCE
    triples_hint = 0
    for s in range(n_sources):
        key = f"synthetic-register-part-{s:05d}"
        sentences, body = [], [PREFIXES]
        for t in range(s * SENTENCES_PER_SOURCE, min(transfers, (s + 1) * SENTENCES_PER_SOURCE)):
            supplier, recipient = rng.sample(codes, 2)
            category = rng.choice(list(CATEGORIES))
            item = rng.choice(CATEGORIES[category])
            year = rng.randint(1950, 2024)
            quantity = rng.randint(1, 300)
            if rng.random() < 0.9:
                status = rng.choice(DELIVERED_STATUSES)
            else:
                status = rng.choice(OTHER_STATUSES)
            kind = rng.choice(KINDS)
            verb = {"delivered": "delivered", "ordered": "ordered", "reported": "reportedly supplied"}.get(
                status, f"({status})"
            )
            sentence = f"Transfer {t}: State {supplier} {verb} {quantity} {item} to State {recipient} in {year}."
            sentences.append(sentence)
            tid = f"rpd:transfer-{supplier.lower()}-{recipient.lower()}-{t}"
            lines = [
                f"{tid} a rp:WeaponsTransfer ;",
                f"    rp:supplier rpd:state-{supplier.lower()} ; rp:recipient rpd:state-{recipient.lower()} ;",
                f'    rp:itemDescription "{item}"@en ; rp:weaponCategory rpv:{category} ;',
                f"    rp:transferKind rpv:{kind} ; rp:transferStatus rpv:{status} ;",
                f'    rp:quantityOrdered {quantity} ; rp:orderDate "{year}"^^xsd:gYear',
            ]
            if status == "delivered":
                lines[-1] += f' ;\n    rp:quantityDelivered {quantity} ; rp:firstDelivery "{min(year + 1, 2025)}"^^xsd:gYear'
            lines[-1] += " ."
            modality = "reportedly" if status == "reported" else "certain"
            hedge = '\n    rp:hedge "reportedly" ;' if status == "reported" else ""
            lines += [
                "",
                f"rpd:claim-{key}-transfer-{t} a rp:Claim ;",
                f"    rp:claimant rpd:source-{key} ;",
                f"    rp:claimKind rpv:report ; rp:stance rpv:affirms ; rp:modality rpv:{modality} ;{hedge}",
                f'    rp:statement "State {supplier} transferred {item} to State {recipient}."@en ;',
                f"    rp:supports {tid} ;",
                f"    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:source-{key} ;",
                f'        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{sentence}" ] ] .',
                "",
            ]
            body.append("\n".join(lines))
            triples_hint += 26
        text = ("Synthetic register, part %d\n\n" % s + "\n\n".join(sentences) + "\n").encode("utf-8")
        (texts / f"{key}.txt").write_bytes(text)
        body.insert(
            1,
            f'rpd:source-{key} a rp:Article ;\n    rdfs:label "Synthetic register, part {s}"@en ;\n'
            f'    rp:title "Synthetic register, part {s}"@en ;\n    rp:textFile "texts/{key}.txt" ;\n'
            f'    rp:textSha256 "{hashlib.sha256(text).hexdigest()}" .\n\n',
        )
        (sources / f"{key}.ttl").write_text("\n".join(body), encoding="utf-8")
    return {"transfers": transfers, "sources": n_sources, "states": states, "triples_estimate": triples_hint}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(generate(args.transfers, args.out, args.seed))


if __name__ == "__main__":
    sys.exit(main())

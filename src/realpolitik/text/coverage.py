"""How much of each source's text the claims cover.

A sentence is *covered* when evidence quotes of that source span at least half of it;
otherwise it is *no claim* when the source lists it with rp:noClaim (a heading, a
transition, a rhetorical question), else *uncovered*. Coverage is covered sentences
over covered and uncovered ones: what is left for a contributor to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef

from realpolitik.namespaces import RP
from realpolitik.text import quotes
from realpolitik.text.sentences import Sentence, split

RPNS = Namespace(RP)
OA = Namespace("http://www.w3.org/ns/oa#")
COVERED, NO_CLAIM, UNCOVERED = "covered", "no claim", "uncovered"


@dataclass
class SourceCoverage:
    source: URIRef
    key: str
    sentences: list[tuple[Sentence, str]] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for _, s in self.sentences if s == status)

    @property
    def ratio(self) -> float:
        substantive = self.count(COVERED) + self.count(UNCOVERED)
        return self.count(COVERED) / substantive if substantive else 1.0

    def uncovered(self) -> list[Sentence]:
        return [sentence for sentence, status in self.sentences if status == UNCOVERED]


def _overlap(sentence: Sentence, spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(sentence.end, end) - max(sentence.start, start)) for start, end in spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def measure(source: URIRef, text: str, data: Graph) -> SourceCoverage:
    quote_spans, settled = [], []
    for evidence in data.subjects(OA.hasSource, source):
        selector = data.value(evidence, OA.hasSelector)
        exact = data.value(selector, OA.exact)
        if exact is None:
            continue
        prefix, suffix = data.value(selector, OA.prefix), data.value(selector, OA.suffix)
        for m in quotes.find(text, str(exact), prefix and str(prefix), suffix and str(suffix)):
            quote_spans.append((m.start, m.end))
    for sentence in data.objects(source, RPNS.noClaim):
        settled += [(m.start, m.end) for m in quotes.find(text, str(sentence))]
    quote_spans, settled = _merge(quote_spans), _merge(settled)
    key = Path(str(data.value(source, RPNS.textFile))).stem
    result = SourceCoverage(source, key)
    for sentence in split(text):
        half = (sentence.end - sentence.start) / 2
        if _overlap(sentence, quote_spans) >= half:
            status = COVERED
        elif _overlap(sentence, settled) >= half:
            status = NO_CLAIM
        else:
            status = UNCOVERED
        result.sentences.append((sentence, status))
    return result


def measure_all(data: Graph, dataset) -> list[SourceCoverage]:
    """Coverage of every source whose text is in the dataset, by source key."""
    results = []
    for source, relative in sorted(data.subject_objects(RPNS.textFile)):
        path = dataset.text_path(str(relative))
        if path is None or not path.is_file():
            continue
        results.append(measure(source, path.read_text(encoding="utf-8"), data))
    return sorted(results, key=lambda r: r.key)

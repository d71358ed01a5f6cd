"""Evidence must really be in its source: every oa:exact quote occurs in the cleaned
text of its oa:hasSource, and every text file matches the checksum its source
records. A quote that lies in a fragment the page marks as quoted from another speaker
(``<text>.quoted.txt``, written by ``text clean``) is not the source's own claim."""

from __future__ import annotations

from rdflib import Graph, Namespace

from realpolitik.dataset import DatasetFiles
from realpolitik.namespaces import RP, curie
from realpolitik.text import quotes
from realpolitik.validation.findings import Finding, at
from realpolitik.validation.locate import Locator, describe

OA = Namespace("http://www.w3.org/ns/oa#")
OPENING_QUOTES = ("“", '"', "„", "«")
RPNS = Namespace(RP)
# What the check reads of the data.
PREDICATES = (RPNS.textFile, RPNS.textSha256, RPNS.evidence, RPNS.claimant, RPNS.noClaim, OA.hasSource,
              OA.hasSelector, OA.exact, OA.prefix, OA.suffix)

def _short(text) -> str:
    """A quote as a finding shows it: whole up to 60 characters, else cut with "..."."""
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "..."


def _finding(locator: Locator, node, message: str, severity: str = "violation", path=None) -> Finding:
    parsed, position = locator.node(node, path)
    focus = describe(lambda: locator.graph, node)
    return Finding(
        check="quote",
        severity=severity,
        message=message,
        **at(parsed, position),
        focus=focus,
    )


def load_texts(data: Graph, dataset: DatasetFiles, locator: Locator) -> tuple[dict, list[Finding]]:
    """Each source's text, read from its rp:textFile and checked against rp:textSha256."""
    texts, findings = {}, []
    for source, relative in data.subject_objects(RPNS.textFile):
        path = dataset.text_path(str(relative))
        if path is None:
            findings.append(_finding(locator, source, f'rp:textFile "{relative}" points outside data/', path=RPNS.textFile))
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            findings.append(_finding(locator, source, f'rp:textFile "{relative}": no such file under data/', path=RPNS.textFile))
            continue
        expected = data.value(source, RPNS.textSha256)
        actual = quotes.sha256(raw)
        if expected is not None and str(expected) != actual:
            findings.append(
                _finding(
                    locator,
                    source,
                    f'text "{relative}" has SHA-256 {actual}, but rp:textSha256 says {expected}',
                    path=RPNS.textSha256,
                )
            )
        try:
            texts[source] = raw.decode("utf-8")
        except UnicodeDecodeError:
            findings.append(_finding(locator, source, f'text "{relative}" is not UTF-8', path=RPNS.textFile))
    return texts, findings


def _evidence(data: Graph):
    """(source, selector, exact, prefix, suffix) of every claim's evidence, prefix and
    suffix None where not given: walked through the graph's indexes (rdflib's SPARQL
    engine takes five times as long: 3.7 s for 38,450 quotes)."""
    objects = data.objects
    for evidence in set(data.objects(None, RPNS.evidence)):
        for source in objects(evidence, OA.hasSource):
            for selector in objects(evidence, OA.hasSelector):
                for exact in objects(selector, OA.exact):
                    for prefix in list(objects(selector, OA.prefix)) or [None]:
                        for suffix in list(objects(selector, OA.suffix)) or [None]:
                            yield source, selector, exact, prefix, suffix


def run(data: Graph, dataset: DatasetFiles, locator: Locator) -> list[Finding]:
    texts, findings = load_texts(data, dataset, locator)
    for source, selector, exact, prefix, suffix in _evidence(data):
        if source not in texts:
            continue  # a source without text is the shapes' business
        text = texts[source]
        short = _short(exact)
        # With its prefix and suffix first: the quote found there, as almost all are, is
        # found once. Found nowhere with them, it is looked for without.
        matches = quotes.find(text, str(exact), prefix and str(prefix), suffix and str(suffix))
        if not matches and (prefix or suffix) and quotes.find(text, str(exact)):
            findings.append(
                _finding(locator, selector, f'quote "{short}" occurs in {curie(str(source))}, but not with its oa:prefix/oa:suffix')
            )
        elif not matches:
            elsewhere = [s for s, t in texts.items() if s != source and quotes.find(t, str(exact))]
            message = f'quote "{short}" does not occur in the text of {curie(str(source))}'
            if elsewhere:
                message += f" (it occurs in {curie(str(elsewhere[0]))})"
            findings.append(_finding(locator, selector, message))
        elif len(matches) > 1:
            findings.append(
                _finding(
                    locator,
                    selector,
                    f'quote "{short}" occurs {len(matches)} times in {curie(str(source))}; '
                    "add oa:prefix or oa:suffix to say which",
                    severity="warning",
                )
            )
    findings += quoted_attribution(data, dataset, locator, texts)
    for source, sentence in data.subject_objects(RPNS.noClaim):
        if source in texts and not quotes.find(texts[source], str(sentence)):
            short = _short(sentence)
            findings.append(
                _finding(locator, source, f'rp:noClaim "{short}" does not occur in the text of {curie(str(source))}', path=RPNS.noClaim)
            )
    return findings


def quoted_attribution(data: Graph, dataset: DatasetFiles, locator: Locator, texts: dict) -> list[Finding]:
    """Claims whose claimant is their source itself, but whose quote opens with a
    quotation mark, or lies in (or holds) a fragment the source quotes from someone else."""
    from realpolitik.text.clean import quoted_name

    fragments = {}
    for source in texts:
        path = dataset.text_path(quoted_name(str(data.value(source, RPNS.textFile))))
        if path is not None and path.is_file():
            fragments[source] = [quotes.normalize(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    findings = []
    for claim, evidence in data.subject_objects(RPNS.evidence):
        source = data.value(evidence, OA.hasSource)
        if source not in texts or data.value(claim, RPNS.claimant) != source:
            continue
        exact = quotes.normalize(str(data.value(data.value(evidence, OA.hasSelector), OA.exact) or ""))
        if exact[:1] in OPENING_QUOTES:
            findings.append(_finding(
                locator, claim, f"the quote opens a quotation ({exact[:40]}...): its claimant is whoever the text "
                "quotes, reported via the source, not the source itself", path=RPNS.claimant))
            continue
        hit = next((f for f in fragments.get(source, ()) if exact and (exact in f or f in exact)), None)
        if hit:
            short = _short(hit)
            findings.append(_finding(
                locator, claim,
                f'the quote lies in "{short}", which {curie(str(source))} quotes from another speaker '
                f"({quoted_name(str(data.value(source, RPNS.textFile)))}): its claimant is that speaker, "
                "reported via the source, not the source itself", path=RPNS.claimant))
    return findings

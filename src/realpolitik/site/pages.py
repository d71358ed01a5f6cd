"""The pages of the site, one function per kind: a node's page (its statements, its
claims with their quotes, what points to it, its disputes), a source's page (its text
with every quote marked and linked to its claim), the lists and the disputes."""

from __future__ import annotations

from collections import defaultdict

from realpolitik.store import engine as ox
from realpolitik.dates import render as render_date
from realpolitik.links import safe_href
from realpolitik.namespaces import PREFIXES, RP, curie, expand
from realpolitik.site.html import a, esc, page
from realpolitik.site.model import RDF_TYPE, TITLES, Model
from realpolitik.text.quotes import find
from realpolitik.text.sentences import paragraphs

XSD = PREFIXES["xsd"]
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear"}
BOUNDED = {RP + "notBefore": "after", RP + "publishedNotBefore": "after",
           RP + "notAfter": "before", RP + "publishedNotAfter": "before"}
# What points to a node, the facts first and the many claims last.
INCOMING_ORDER = ("agreements", "transfers", "events", "facts", "actors", "sources", "entities", "claims")
# Shown in their own sections, not in the table of statements.
OWN_SECTION = {RP + "evidence", RP + "noClaim"}


def term_anchor(iri: str) -> str:
    """The anchor of an ontology term on the reference page."""
    return curie(iri).replace(":", "-").strip("<>")


class Site:
    """What the pages share: the model, the texts, the disputes by claim."""

    def __init__(self, model: Model, dataset, disputes: list, consensus: dict | None = None):
        self.m = model
        self.dataset = dataset
        self.disputes = disputes
        self.agreement = consensus or {}  # fact -> its rows of the named query consensus
        self.by_claim: dict[str, list[int]] = defaultdict(list)
        for number, dispute in enumerate(disputes, 1):
            for side in (dispute.a, dispute.b):
                self.by_claim[expand(side.claim)].append(number)
            if dispute.fact:
                self.by_claim[expand(dispute.fact)].append(number)
        self._texts: dict[str, tuple[str, list] | None] = {}

    # --- links ---------------------------------------------------------------------

    def href(self, iri: str) -> str | None:
        path = self.m.path.get(iri)
        return path + ".html" if path else None

    def link(self, here: str, node) -> str:
        if isinstance(node, ox.Literal):
            return esc(node.value)
        if isinstance(node, ox.BlankNode):
            return "(unnamed)"
        target = self.href(node.value)
        if target:
            return a(here, target, self.m.label(node))
        if node.value.startswith(PREFIXES["rp"]) or self.m.is_concept(node):
            return a(here, "ontology/index.html#" + term_anchor(node.value), self.m.label(node))
        href = safe_href(node.value)  # only http(s): a javascript: IRI is shown, never linked
        return f'<a href="{esc(href)}">{esc(self.m.label(node))}</a>' if href else f"<code>{esc(self.m.label(node))}</code>"

    def value_html(self, here: str, predicate: str, node) -> str:
        if isinstance(node, ox.Literal):
            if node.datatype is not None and node.datatype.value in DATE_TYPES:
                return f'<time datetime="{esc(node.value)}">{esc(render_date(node.value, BOUNDED.get(predicate)))}</time>'
            return esc(node.value)
        if isinstance(node, ox.BlankNode):
            members = self.m.items(node)
            return ", ".join(self.link(here, item) for item in members) if members else "(unnamed)"
        return self.link(here, node)

    # --- texts ---------------------------------------------------------------------

    def source_text(self, source: str):
        """The source's cleaned text as (normalized text, paragraphs), or None."""
        if source not in self._texts:
            self._texts[source] = None
            relative = self.m.text(source, RP + "textFile")
            path = self.dataset.text_path(relative) if relative else None
            if path is not None and path.is_file():
                raw = path.read_text(encoding="utf-8")
                parts = paragraphs(raw)
                self._texts[source] = (" ".join(p.text for p in parts), parts, raw)
        return self._texts[source]

    def locate(self, evidence: dict):
        """Where a quote lies in its source's text: (start, end) or None."""
        text = self.source_text(evidence["source"]) if evidence["source"] else None
        if text is None:
            return None
        found = find(text[2], evidence["exact"], evidence["prefix"], evidence["suffix"]) or find(text[2], evidence["exact"])
        return (found[0].start, found[0].end) if found else None

    def quote_in_context(self, here: str, claim: str, evidence: dict) -> str:
        """The quote marked in its paragraph, linked to its place in the source."""
        span = self.locate(evidence)
        source = evidence["source"]
        where = ""
        if source and self.href(source):
            where = (f'<p class="from">in {a(here, self.href(source) + "#c-" + self.m.path[claim].split("/")[-1], self.m.label(source))}'
                     f" (read the quote in its source)</p>")
        if span is None:
            return f'<blockquote class="context"><mark>{esc(evidence["exact"])}</mark></blockquote>{where}'
        flat, parts = self.source_text(source)[:2]
        start, end = span
        paragraph = next((p for p in parts if p.start <= start < p.end + 1), None)
        lo, hi = (paragraph.start, max(paragraph.end, end)) if paragraph else (start, end)
        return (f'<blockquote class="context">{esc(flat[lo:start])}<mark>{esc(flat[start:end])}</mark>'
                f"{esc(flat[end:hi])}</blockquote>{where}")

    # --- pieces ----------------------------------------------------------------------

    def statements(self, here: str, iri: str) -> str:
        rows = []
        node = ox.NamedNode(iri)
        predicates = sorted(self.m.out.get(node, {}), key=lambda p: (p != RDF_TYPE, self.m.label(ox.NamedNode(p))))
        for predicate in predicates:
            if predicate in OWN_SECTION or predicate in (PREFIXES["rdfs"] + "label",):
                continue
            values = ", ".join(self.value_html(here, predicate, v) for v in self.m.values(iri, predicate))
            name = self.link(here, ox.NamedNode(predicate))
            rows.append(f"<tr><th>{name}</th><td>{values}</td></tr>")
        return '<table class="statements">\n' + "\n".join(rows) + "\n</table>\n" if rows else ""

    def claim_card(self, here: str, claim: str, with_context: bool = False) -> str:
        m = self.m
        meta = [m.label(v) for v in (m.value(claim, RP + "stance"), m.value(claim, RP + "modality"),
                                      m.value(claim, RP + "claimKind")) if v is not None]
        hedge = m.text(claim, RP + "hedge")
        claimant = m.value(claim, RP + "claimant")
        by = f"{self.link(here, claimant)}" if claimant is not None else "unknown claimant"
        quotes = "".join(self.quote_in_context(here, claim, ev) if with_context
                         else f'<blockquote><mark>{esc(ev["exact"])}</mark></blockquote>'
                         for ev in m.evidence(claim))
        return (f'<div class="claim"><p class="statement">{a(here, self.href(claim), m.label(claim))}</p>'
                f'<p class="meta">{by} · {esc(", ".join(meta))}'
                + (f" · hedge “{esc(hedge)}”" if hedge else "") + f"</p>{self.proposition(here, claim)}{quotes}</div>\n")

    def proposition(self, here: str, claim: str) -> str:
        """What the claim states, as the structure has it: the relation it codes, or the
        fact it backs and the values it asserts of it (docs/claims.md)."""
        m = self.m
        stance = m.value(claim, RP + "stance")
        says = "denies" if stance is not None and stance.value.endswith("/denies") else "affirms"
        relation = m.value(claim, RP + "relation")
        if relation is not None:
            objects = " and ".join(self.link(here, o) for o in m.values(claim, RP + "object"))
            parts = [self.link(here, m.value(claim, RP + q)) for q in ("scale", "manner", "relationshipKind")
                     if m.value(claim, RP + q) is not None]
            what = (f"{self.link(here, m.value(claim, RP + 'subject'))} {self.link(here, relation)} {objects}"
                    + (f" ({', '.join(parts)})" if parts else ""))
        else:
            fact = m.value(claim, RP + "supports")
            if fact is None:
                return ""
            values = [self.link(here, v) for q in ("claimedStatus", "claimedLegalStatus") for v in m.values(claim, RP + q)]
            values += [self.value_html(here, RP + q, v) for q in ("claimedDate", "claimedQuantity") for v in m.values(claim, RP + q)]
            what = self.link(here, fact) + (f": {', '.join(values)}" if values else "")
        return f'<p class="proposition">{says}: {what}</p>'

    def consensus(self, iri: str) -> str:
        """How many independent sources affirm the fact with each value they assert, and
        deny it, and how firmly: its rows of the named query ``consensus``."""
        said = []
        for row in self.agreement.get(iri, ()):
            firm = row["strongest"] if row["strongest"] == row["weakest"] else f"{row['strongest']} to {row['weakest']}"
            for count, side in ((row["affirming"], "affirmed" + (f" as {row['claimedName']}" if row["claimedName"] else "")),
                                (row["denying"], "denied")):
                if count:
                    said.append(f"{side} by {count} independent source{'s' if count != 1 else ''} ({firm})")
        if not said:
            return ""
        text = "; ".join(said)
        return f'<p class="consensus">{esc(text[0].upper() + text[1:])}.</p>\n'

    def dispute_block(self, here: str, number: int) -> str:
        dispute = self.disputes[number - 1]
        sides = []
        for mark, side in (("A", dispute.a), ("B", dispute.b)):
            claim = expand(side.claim)
            title = a(here, self.href(claim), self.m.label(ox.NamedNode(claim))) if self.href(claim) else esc(side.claim)
            who = side.claimant if side.claimant == side.source else f"{side.claimant}, in {side.source}"
            sides.append(f'<div class="side"><p class="side-name">{mark}: {esc(who)} '
                         f"({esc(side.stance)}, {esc(side.modality)})</p><p>{title}</p>"
                         f"<blockquote><mark>{esc(side.quote)}</mark></blockquote></div>")
        on = ""
        if dispute.fact and self.href(expand(dispute.fact)):
            on = " on " + a(here, self.href(expand(dispute.fact)), self.m.label(ox.NamedNode(expand(dispute.fact))))
        elif dispute.relation:
            on = " on " + self.link(here, ox.NamedNode(expand(dispute.relation)))
        found = {"structural": "found from the structure", "hand-linked": "linked by hand", "both": "found from the structure and linked by hand"}
        return (f'<section class="dispute" id="d-{number}"><h3>{a(here, f"disputes.html#d-{number}", f"Dispute {number}")}: '
                f"{esc(dispute.basis)}{on} ({found[dispute.kind]})</h3>\n<div class=\"sides\">{''.join(sides)}</div></section>\n")

    def incoming(self, here: str, iri: str) -> str:
        groups: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for subject, predicate in self.m.incoming(iri):
            if not isinstance(subject, ox.NamedNode) or subject.value not in self.m.path:
                continue
            if predicate == RP + "supports":
                continue  # the claims section shows them
            groups[self.m.category[subject.value]][subject.value].add(self.m.label(ox.NamedNode(predicate)))
        out = []
        for folder in INCOMING_ORDER:
            if folder not in groups:
                continue
            items = sorted(groups[folder], key=lambda s: (self.m.label(s).casefold(), s))
            lis = "".join(f"<li>{a(here, self.href(s), self.m.label(s))} <span class=\"role\">({esc(', '.join(sorted(groups[folder][s])))})</span></li>\n"
                          for s in items)
            out.append(f'<section class="incoming"><h2>{esc(TITLES[folder])}</h2>\n<ul>\n{lis}</ul></section>\n')
        return "".join(out)

    # --- pages -------------------------------------------------------------------------

    def node_page(self, iri: str, extra: str = "") -> str:
        m = self.m
        here = m.path[iri] + ".html"
        body = [f'<p class="kind">{esc(m.kind(iri))}</p>', extra, self.statements(here, iri)]
        category = m.category[iri]
        if category == "claims":
            body.append(self.proposition(here, iri))
            body.append("<h2>Evidence</h2>\n" + "".join(self.quote_in_context(here, iri, ev) for ev in m.evidence(iri)))
        backing = m.claims_backing(iri)
        if backing:
            body.append(f"<h2>Claims ({len(backing)})</h2>\n" + self.consensus(iri)
                        + "".join(self.claim_card(here, c) for c in backing))
        numbers = sorted(set(self.by_claim.get(iri, [])))
        if numbers:
            body.append("<h2>Disputes</h2>\n" + "".join(self.dispute_block(here, n) for n in numbers))
        if category == "sources":
            body.append(self.source_text_html(here, iri))
        body.append(self.incoming(here, iri))
        return page(here, m.label(iri), "".join(body), turtle=m.path[iri] + ".ttl", iri=iri)

    def source_text_html(self, here: str, source: str) -> str:
        text = self.source_text(source)
        claims = sorted({s.value for s in self._quoting(source)})
        if text is None:
            return "<p>The text of this source is not in the dataset.</p>\n"
        flat, parts = text[:2]
        spans = []
        for claim in claims:
            for ev in self.m.evidence(claim):
                if ev["source"] == source:
                    span = self.locate(ev)
                    if span:
                        spans.append((span[0], span[1], claim))
        spans.sort(key=lambda s: (s[0], s[1], s[2]))
        number = {claim: i for i, claim in enumerate(dict.fromkeys(s[2] for s in spans), 1)}
        out = [f"<h2>Text, with the quotes of its {len(number)} claims marked</h2>\n<div class=\"text\">"]
        for part in parts:
            cuts = {part.start, part.end}
            for start, end, _ in spans:
                cuts |= {c for c in (start, end) if part.start < c < part.end}
            starts = defaultdict(list)
            for start, _, claim in spans:
                if part.start <= start < part.end:
                    starts[start].append(claim)
            html, edges = [], sorted(cuts)
            for lo, hi in zip(edges, edges[1:]):
                for claim in starts.get(lo, []):
                    slug = self.m.path[claim].split("/")[-1]
                    html.append(f'<a class="ref" id="c-{esc(slug)}" href="{esc("../" + self.m.path[claim] + ".html")}" '
                                f'title="{esc(self.m.label(claim))}">[{number[claim]}]</a>')
                covered = any(s <= lo and hi <= e for s, e, _ in spans)
                chunk = esc(flat[lo:hi])
                html.append(f"<mark>{chunk}</mark>" if covered else chunk)
            out.append("<p>" + "".join(html) + "</p>")
        out.append("</div>\n")
        return "\n".join(out)

    def _quoting(self, source: str):
        """The claims with evidence in ``source``."""
        for ev in self.m.subjects(PREFIXES["oa"] + "hasSource", source):
            for claim in self.m.subjects(RP + "evidence", ev):
                if isinstance(claim, ox.NamedNode):
                    yield claim

    def list_page(self, folder: str) -> str:
        here = f"{folder}/index.html"
        items = "".join(f"<li>{a(here, self.href(iri), self.m.label(iri))} <span class=\"role\">({esc(self.m.kind(iri))})</span></li>\n"
                        for iri in self.m.pages(folder))
        return page(here, TITLES[folder], f"<ul>\n{items}</ul>\n")

    def disputes_page(self) -> str:
        here = "disputes.html"
        intro = (f"<p>{len(self.disputes)} disagreements between claims: opposite stances on one fact or proposition, "
                 "incompatible values of one fact or incompatible relations, found from the structure; or a hand-written "
                 "link for what the structure cannot say. Each side with its claimant, source, stance, modality and quote.</p>\n")
        return page(here, "Where the sources disagree", intro + "".join(self.dispute_block(here, n)
                                                                        for n in range(1, len(self.disputes) + 1)))


def consensus(on) -> dict[str, list[dict]]:
    """The rows of the named query ``consensus`` on ``on``, by fact."""
    from realpolitik.querying import run_named
    from realpolitik.querying.results import rows_as_dicts

    by_fact: dict[str, list[dict]] = {}
    for row in rows_as_dicts(run_named("consensus", {}, on=on)):
        if row["fact"]:
            by_fact.setdefault(row["fact"], []).append(row)
    return {fact: sorted(rows, key=lambda r: r["claimedName"] or "") for fact, rows in by_fact.items()}

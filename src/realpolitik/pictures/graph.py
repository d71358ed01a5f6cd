"""Who binds, supplies, supports and opposes whom: states and organisations as nodes;
agreements, weapons transfers, backing, and claims of support and opposition (coded
propositions, affirmed or denied) as edges, from the named query
``ties``. Written as Graphviz DOT (sorted, so the same data gives the same bytes) and
drawn by Graphviz's ``dot``. Every edge links to what backs it and lists its claims in
its tooltip."""

from __future__ import annotations

import shutil
import subprocess
from typing import Callable

from realpolitik.links import safe_href
from realpolitik.namespaces import curie
from realpolitik.pictures import PictureError

FORMATS = ("svg", "png", "dot")

# By the dataset's transfer statuses (rpv:transfer-statuses): what went through is
# solid, what is only said is dashed, what did not happen is dotted.
STATUS_STYLE = {
    "delivered": ("solid", "#1b7837", "2"),
    "ordered": ("solid", "#5aae61", "1.5"),
    "offered": ("dashed", "#5aae61", "1"),
    "requested": ("dashed", "#7f7f7f", "1"),
    "reported": ("dashed", "#e08214", "1.5"),
    "declined": ("dotted", "#b2182b", "1.5"),
    "withheld": ("dotted", "#d6604d", "1.5"),
    "denied": ("dotted", "#67001f", "1.5"),
    "cancelled": ("dotted", "#7f7f7f", "1"),
    "disputed": ("dashed", "#c51b7d", "1.5"),  # derived: the claims disagree
}
UNKNOWN_STATUS = ("solid", "#7f7f7f", "1")
AGREEMENT = {"color": "#2166ac", "penwidth": "2", "dir": "none"}
SUPPORT = {"color": "#762a83", "style": "dashed"}
OPPOSITION = {"color": "#b35806", "style": "dashed"}
BACKING = {"color": "#762a83", "penwidth": "2"}
LEGEND = (
    "Transfers: green solid delivered or ordered, orange dashed reported, red dotted declined, "
    "withheld or denied, magenta dashed disputed between sources. Blue: agreements. Purple: backing (solid) and claims of support (dashed; "
    "dotted where the claims deny it). Brown: claims of opposition."
)


def ties(on, around: str | None = None) -> list[dict]:
    """The rows of the named query ``ties`` (for ``around``'s ties only, if given)."""
    from realpolitik.querying import run_named
    from realpolitik.querying.results import rows_as_dicts

    return rows_as_dicts(run_named("ties", {"actor": around}, on=on))


def around(rows: list[dict], actor: str) -> list[dict]:
    """The rows ``ties(on, actor)`` gives, taken from the rows of the whole graph: the
    actor's transfers and claims, and every party of its agreements."""
    agreements = {r["via"] for r in rows if r["tie"] == "agreement" and r["a"] == actor}
    return [r for r in rows if (r["via"] in agreements if r["tie"] == "agreement" else actor in (r["a"], r["b"]))]


def quoted(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, so a label is only ever text."""
    flat = " ".join(str(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attrs(attrs: dict) -> str:
    return "[" + ", ".join(f"{k}={quoted(v)}" for k, v in sorted(attrs.items())) + "]"


def _url(url: str) -> dict:
    """The URL attribute for a link, if it may be one (realpolitik.links): a javascript:
    IRI gets none. Graphviz writes an entity such as &#58; into the SVG as it is, so &
    goes percent-encoded."""
    href = safe_href(url)
    return {"URL": href.replace("&", "%26")} if href else {}


def _tooltip(head: str, claims: list[str]) -> str:
    if not claims:
        return head + " (no claim backs it)"
    shown = claims[:12]
    more = f" and {len(claims) - len(shown)} more" if len(claims) > len(shown) else ""
    return f"{head}. Claims: {', '.join(curie(c) for c in shown)}{more}"


def to_dot(rows: list[dict], link: Callable[[str], str] = lambda iri: iri, title: str = "") -> str:
    """The DOT text for the rows of ``ties``; ``link`` turns an IRI into the URL a node
    or an edge points to (the IRI itself by default, a page of the site there)."""
    names: dict[str, str] = {}
    by_via: dict[tuple, dict] = {}
    for row in rows:
        names[row["a"]] = row["aName"] or curie(row["a"])
        if row["b"]:
            names[row["b"]] = row["bName"] or curie(row["b"])
        if row["tie"] in ("support", "opposition"):  # one edge per direction and stance
            key = (row["tie"], row["a"], row["b"], row["stanceName"] or "")
        elif row["tie"] == "agreement":
            key = ("agreement", "", "", row["via"])
        else:
            key = (row["tie"], row["a"], row["b"], row["via"] or "")
        tie = by_via.setdefault(key, {"rows": [], "claims": set(), "parties": set()})
        tie["rows"].append(row)
        tie["parties"].add(row["a"])
        if row["claim"]:
            tie["claims"].add(row["claim"])

    nodes: dict[str, dict] = {}
    edges: list[tuple[str, str, dict]] = []
    for iri, name in names.items():
        nodes[curie(iri)] = {"label": name, **_url(link(iri)), "tooltip": f"{name} ({curie(iri)})"}
    for (kind, a, b, via), tie in sorted(by_via.items()):
        first = tie["rows"][0]
        claims = sorted(tie["claims"])
        if kind == "agreement":
            name = first["viaName"] or curie(via)
            parties = sorted(tie["parties"])
            tooltip = _tooltip(f"Agreement: {name}; parties: {', '.join(names[p] for p in parties)}", claims)
            if len(parties) == 2:
                edges.append((curie(parties[0]), curie(parties[1]),
                              {**AGREEMENT, "label": name, **_url(link(via)), "tooltip": tooltip}))
            else:  # three parties or more: the agreement as a node they all meet at
                nodes[curie(via)] = {"label": name, **_url(link(via)), "tooltip": tooltip, "shape": "note",
                                     "color": AGREEMENT["color"], "fontcolor": AGREEMENT["color"]}
                for party in parties:
                    edges.append((curie(party), curie(via), {**AGREEMENT, **_url(link(via)), "tooltip": tooltip}))
        elif kind == "transfer":
            item = first["viaName"] or curie(via)
            status = first["statusName"] or "status unknown"
            style, color, width = STATUS_STYLE.get(first["statusName"], UNKNOWN_STATUS)
            head = f"Transfer: {names[a]} to {names[b]}, {item} ({status})"
            edges.append((curie(a), curie(b), {"label": f"{item} ({status})", "style": style, "color": color,
                                               "fontcolor": color, "penwidth": width, **_url(link(via)),
                                               "tooltip": _tooltip(head, claims)}))
        elif kind == "backing":
            head = f"{names[a]} backs {names[b]}"
            edges.append((curie(a), curie(b), {**BACKING, "label": "backs", **_url(link(b)), "tooltip": _tooltip(head, claims)}))
        else:
            relations = sorted({r["viaName"] for r in tie["rows"] if r["viaName"]})
            denied = via == "denies"
            plural = "s" if len(claims) != 1 else ""
            label = f"{len(claims)} claim{plural} {'denying' if denied else 'of'} {kind}"
            head = (f"{len(claims)} claim{plural} {'deny' if denied else 'affirm'} that {names[a]} "
                    f"{' / '.join(relations)} {names[b]}")
            style = SUPPORT if kind == "support" else OPPOSITION
            edges.append((curie(a), curie(b), {**style, **({"style": "dotted"} if denied else {}), "label": label,
                                               **_url(link(claims[0])), "tooltip": _tooltip(head, claims)}))

    lines = ["digraph realpolitik {",
             "  graph " + _attrs({"rankdir": "LR", "overlap": "false", "splines": "true", "fontname": "Helvetica",
                                  "label": (title + ". " if title else "") + LEGEND, "labelloc": "t",
                                  "fontsize": "12"}) + ";",
             "  node " + _attrs({"shape": "ellipse", "fontname": "Helvetica", "fontsize": "11"}) + ";",
             "  edge " + _attrs({"fontname": "Helvetica", "fontsize": "9"}) + ";"]
    for node_id in sorted(nodes):
        lines.append(f"  {quoted(node_id)} {_attrs(nodes[node_id])};")
    for tail, head, attrs in sorted(edges, key=lambda e: (e[0], e[1], sorted(e[2].items()))):
        lines.append(f"  {quoted(tail)} -> {quoted(head)} {_attrs(attrs)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(dot_text: str, fmt: str, seconds: float = 120.0) -> bytes:
    """``dot_text`` drawn by Graphviz as ``fmt`` (svg or png); DOT is returned as is."""
    if fmt == "dot":
        return dot_text.encode("utf-8")
    program = shutil.which("dot")
    if program is None:
        raise PictureError("Graphviz's dot is not installed (Debian: apt-get install graphviz); --format dot works without it")
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        raise PictureError(f"dot took longer than {seconds:g} s and was stopped") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PictureError(f"dot failed: {message[0] if message else f'exit code {done.returncode}'}")
    return done.stdout

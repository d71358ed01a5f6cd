"""Validation reports as text for people, JSON for programs, and GitHub Actions
workflow commands for pull requests. In text and workflow commands a finding is one
line whatever its data holds: control characters are shown escaped
(realpolitik.terminal), so no quoted value can start a line of its own."""

from __future__ import annotations

import json

from realpolitik.terminal import printable
from realpolitik.validation.findings import Report

FORMATS = ("text", "json", "github")


def _detail(finding) -> str:
    parts = [p for p in (finding.focus, finding.path) if p]
    extra = [p for p in (finding.component, finding.shape) if p]
    text = finding.message
    if parts:
        text = f"{' '.join(parts)}: {text}"
    if finding.value and finding.check == "shacl":
        text += f" [value: {finding.value}]"
    if extra:
        text += f" ({', '.join(extra)})"
    return text


def summary_line(report: Report) -> str:
    s = report.summary
    if not s:
        return ""
    held = ", ".join(
        f"{s[k]} {k}"
        for k in (
            "sources",
            "claims",
            "actors",
            "agreements",
            "laws",
            "programmes",
            "transfers",
            "events",
            "office holdings",
            "memberships",
        )
        if k in s
    )
    return f"{s['files']} data files, {s['triples']} triples: {held}"


def fallbacks(report: Report) -> list[str]:
    """A warning for each check that ran on its slower engine, and why."""
    return [
        printable(f"warning: [{check}] ran on {engine.name}: {engine.fallback}")
        for check, engine in report.engines.items()
        if engine.fallback
    ]


def text(report: Report) -> str:
    lines = [printable(f"{f.where()}: {f.severity}: [{f.check}] {_detail(f)}") for f in report.findings]
    lines += fallbacks(report)
    if any(f.check == "syntax" for f in report.findings if f.severity == "error"):
        lines.append(f"{report.count('error')} input error(s): nothing was validated")
    else:
        if report.summary:
            lines.append(summary_line(report))
        errors = report.count("error")
        counts = (f"{errors} error(s), " if errors else "") + f"{report.count('violation')} violation(s), {report.count('warning')} warning(s)"
        lines.append(("conforms" if report.conforms else "does not conform") + f": {counts}")
    return "\n".join(lines)


def as_json(report: Report) -> str:
    return json.dumps(
        {
            "conforms": report.conforms,
            "exit_code": report.exit_code,
            "counts": {s: report.count(s) for s in ("error", "violation", "warning", "info")},
            "summary": report.summary,
            "files": report.files,
            "timings": report.timings,
            "engines": {check: engine.as_dict() for check, engine in report.engines.items()},
            "findings": [f.as_dict() for f in report.findings],
        },
        indent=2,
        ensure_ascii=False,
    )


def _escape_data(value: str) -> str:
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """One workflow command per finding: ::error file=F,line=L,col=C,title=T::message"""
    level = {"error": "error", "violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in report.findings:
        props = []
        if f.file:
            props.append(f"file={_escape_property(f.file)}")
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property('realpolitik ' + f.check)}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_escape_data(_detail(f))}")
    for check, engine in report.engines.items():
        if engine.fallback:
            title = _escape_property(f"realpolitik {check}")
            lines.append(f"::warning title={title}::{_escape_data(f'ran on {engine.name}: {engine.fallback}')}")
    if not report.count("error"):
        lines.append(summary_line(report))
    return "\n".join(line for line in lines if line)


def render(report: Report, fmt: str) -> str:
    return {"text": text, "json": as_json, "github": github}[fmt](report)

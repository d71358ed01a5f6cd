"""What validation finds, and what it adds up to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Exit codes, as the command documents them.
EXIT_CONFORMS = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT_ERROR = 2

SEVERITIES = ("error", "violation", "warning", "info")


@dataclass
class Finding:
    """One problem, where it is written and what is wrong.

    ``severity`` is "error" for input that cannot be read (broken syntax, a missing
    file), "violation" for data that breaks a rule, "warning" and "info" for advice.
    """

    check: str  # a registered check's name (validation.checks.registry), or syntax
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    component: str | None = None
    shape: str | None = None

    def key(self):
        """(focus node, path, constraint component, shape): how SHACL results compare."""
        return (self.focus, self.path, self.component, self.shape)

    def where(self) -> str:
        if self.file is None:
            return "dataset"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def at(parsed, position) -> dict:
    """The file, line and column keywords of a Finding, from a parsed file and a position
    (either may be unknown)."""
    return {
        "file": parsed.display if parsed else None,
        "line": position.line if position else None,
        "column": position.column if position else None,
    }


@dataclass(frozen=True)
class Engine:
    """The engine a check ran on; ``fallback`` says in one line why it is not the fast
    one (None when it is)."""

    name: str
    fallback: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, **({"fallback": self.fallback} if self.fallback else {})}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)  # step -> seconds
    engines: dict[str, Engine] = field(default_factory=dict)  # check -> the engine it ran on

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        return not any(f.severity in ("error", "violation") for f in self.findings)

    @property
    def exit_code(self) -> int:
        if self.count("error"):
            return EXIT_INPUT_ERROR
        if self.count("violation"):
            return EXIT_VIOLATIONS
        return EXIT_CONFORMS

    def sort(self) -> None:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        self.findings.sort(
            key=lambda f: (f.file or "~", f.line or 0, f.column or 0, order.get(f.severity, 9), f.check, f.message)
            + tuple(v or "" for v in (f.focus, f.path, f.component, f.shape, f.value))
        )

"""The one runner: the registered checks (validation.checks.registry) on a context, in
order, each timed, unless skipped."""

from __future__ import annotations

import gc
import time

from realpolitik.validation.context import Context
from realpolitik.validation.findings import Report

# Below this many statements a full collection (0.2 s at 12,000) costs more than the
# memory it gives back; at 1.5 million it keeps validation within 3 GB.
COLLECT_ABOVE = 50_000


def run(context: Context, skip=()) -> Report:
    """The report of the checks not in ``skip``: the findings the context answers for,
    sorted; the timings of its building steps, then of each check; the engines the
    checks recorded in ``context.engines``."""
    from realpolitik.validation.checks.registry import registered

    report = Report(files=list(context.files), summary=dict(context.summary), timings=dict(context.timings))
    checks = [check for check in registered() if check.name not in skip]
    for n, check in enumerate(checks):
        if context.opened is not None and not any(later.reads_store for later in checks[n:]):
            # Its memory is what the checks left (consistency) need most. What held it in
            # cycles (the SHACL engine, a check's graph) is collected now, once: the
            # collector is paused while validation runs (realpolitik.collector).
            context.let_store_go()
            if context.summary.get("triples", 0) > COLLECT_ABOVE:
                gc.collect()
        start = time.perf_counter()
        report.findings += check.run(context)
        report.timings[check.name] = round(time.perf_counter() - start, 3)
    report.engines.update(context.engines)
    report.findings = context.kept(report.findings)
    report.sort()
    return report

"""The shacl check: the shapes, with the ontology, on the store or by pyshacl."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    return run_shacl(context.opened, context.data, context.shapes, context.ontology, context.locator, within=context.within)


def run_shacl(opened, data, shapes, ontology, locator, within=None) -> list:
    """SHACL findings: evaluated on the store (validation.shacl_store), or by pyshacl
    when asked (REALPOLITIK_SHACL=pyshacl), when the shapes use a constraint the store
    engine lacks, or when the store holds a literal in another form than written."""
    from realpolitik.validation import shacl
    from realpolitik.validation.shacl_store import Unsupported

    from realpolitik.settings import current

    if current().shacl != "pyshacl" and not opened.rewritten_literals:
        try:
            return shacl.run_on_store(opened.store, shapes, data, locator, union=True, within=within)
        except Unsupported:
            pass
    return shacl.run(data, shapes, ontology, locator)


CHECK = Check("shacl", "SHACL shapes (the ontology passed so subclasses are caught)", run)

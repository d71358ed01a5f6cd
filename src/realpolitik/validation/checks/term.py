"""The term check: ontology terms that do not exist, and owl:imports in data files."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import terms

    # A change answers for its data files; the ontology and shapes are not part of it.
    files = context.answered + (context.ontology_files + context.shape_files if context.whole else [])
    return terms.undefined_terms(files, context.ontology) + terms.imports_in_data(context.answered)


CHECK = Check("term", "ontology terms that do not exist, such as rp:suplier", run)

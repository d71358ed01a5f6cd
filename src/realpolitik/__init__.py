"""realpolitik: a claims-first knowledge graph of states, agreements, weapons transfers
and the claims behind them.

The public API is imported lazily so that the command line starts fast:

>>> import realpolitik
>>> report = realpolitik.validate()          # the shipped dataset
>>> report.conforms
True
>>> rows = realpolitik.query("agreements", actor="Russia")
>>> rows[0]["agreementName"]
'Collective Security Treaty'
"""

__version__ = "0.1.0"

__all__ = ["__version__", "dataset_root", "load", "query", "sparql", "validate"]


def __getattr__(name):
    # Lazy: importing realpolitik must not import rdflib or pyshacl.
    if name == "dataset_root":
        from realpolitik.paths import dataset_root

        return dataset_root
    if name == "load":
        from realpolitik.dataset import load

        return load
    if name in ("query", "sparql"):
        from realpolitik import querying as queries

        return getattr(queries, name)
    if name == "validate":
        from realpolitik.validation import validate

        return validate
    raise AttributeError(f"module 'realpolitik' has no attribute {name!r}")

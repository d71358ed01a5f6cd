"""The dataset in memory: the stores pyoxigraph holds (``engine``, the one module that
imports it), terms between rdflib and pyoxigraph (``terms``), the dataset held in a store
(``dataset``) and the one view everything reads it through as rdflib terms (``view``)."""

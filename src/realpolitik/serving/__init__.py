"""``realpolitik serve``: the embedded store over HTTP, read-only. ``app`` is the
application, ``endpoint`` and ``protocol`` the SPARQL 1.1 Protocol at ``/sparql``,
``description`` its service description, ``api`` the named queries at ``/api``, ``reconcile`` the
Reconciliation Service API at ``/reconcile``."""

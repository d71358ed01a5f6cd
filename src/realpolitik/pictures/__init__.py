"""Pictures of the graph: who binds, supplies and supports whom (``graph``), and what
happened in date order (``timeline``)."""

from realpolitik.errors import RealpolitikError


class PictureError(RealpolitikError):
    """A picture that cannot be made, said in one line."""

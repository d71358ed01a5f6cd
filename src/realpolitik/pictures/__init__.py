"""Pictures of the graph: who binds, supplies and supports whom (``graph``), and what
happened in date order (``timeline``)."""


class PictureError(Exception):
    """A picture that cannot be made, said in one line."""

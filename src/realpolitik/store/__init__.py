"""The dataset in memory: the stores pyoxigraph holds, and the one view everything reads
through."""

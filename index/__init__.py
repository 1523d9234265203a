"""Warta's ingest side: files in, clean `Article`s out, and the Whoosh index they feed.

Nothing in this package imports textual: the core stays headless so one-line
queries start fast and the index can be built on a server.
"""

__version__ = "0.1.0"

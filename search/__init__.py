"""Warta's query side: parse, expand and run queries over the index, and the `warta` CLI.

Everything this package hands out is a plain dataclass from `search.models`: no Whoosh
object leaks to the CLI or the TUI.
"""

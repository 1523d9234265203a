"""Whoosh's encoded position lists (`Positions.encode`), read without unpickling them.

Both sides read them: the build takes each posting's first position for the postings
arrays it writes beside a segment (`index.segment.arrays`), the fast path a phrase's and a
lead's positions (`search.fastpath.postings`). Any layout but the one Whoosh 2.7.4 writes
is unpickled, through the restricted unpickler.
"""

from __future__ import annotations

from itertools import accumulate

import numpy as np

from index.safe_unpickle import loads

#: Zero bytes after a term's concatenated position lists: the readers of many lists at
#: once (`first_positions_of`, `search.fastpath.postings.positions_of`) look a few bytes
#: past a list's end without checking, then judge what they read.
PAD = bytes(16)


def decode_positions(value: bytes) -> list[int]:
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


# Whoosh's Positions.encode: a 4-byte count, then pickle protocol 2 of the position deltas:
# PROTO 2, EMPTY_LIST, BINPUT 0, a MARK when there are several, then the first delta, which
# is the first position, as BININT1, BININT2 or BININT.
LIST_HEAD = b"\x80\x02]q\x00"
MARK = ord("(")
BININT1, BININT2, BININT = ord("K"), ord("M"), ord("J")


def first_position(value: bytes) -> int:
    """The first position of an encoded position list, read off the pickle's first item.

    A lead check asks only this, of thousands of documents a search; unpickling each whole
    list costs several times more. Anything but the expected layout is unpickled.
    """
    if value.startswith(LIST_HEAD, 4) and len(value) > 10:
        i = 9 if value[9] != MARK else 10
        op = value[i]
        if op == BININT1:
            return value[i + 1]
        if op == BININT2 and len(value) > i + 2:
            return value[i + 1] | value[i + 2] << 8
        if op == BININT and len(value) > i + 4:
            return int.from_bytes(value[i + 1 : i + 5], "little", signed=True)
    return decode_positions(value)[0]


def first_positions_of(data: bytes, offsets: np.ndarray) -> np.ndarray:
    """`first_position` of every encoded list in `data` (lists starting at `offsets`),
    in numpy: the same bytes read for all lists at once; any list whose layout is not the
    expected one is unpickled by `first_position`."""
    n = len(offsets) - 1
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    buf = padded(data)
    starts, lengths = offsets[:-1], np.diff(offsets)
    ok = lengths > 10
    for k, byte in enumerate(LIST_HEAD):
        ok &= buf[starts + 4 + k] == byte
    op_at = starts + 9 + (buf[starts + 9] == MARK)
    op = buf[op_at]
    b1, b2 = buf[op_at + 1].astype(np.int64), buf[op_at + 2].astype(np.int64)
    b3, b4 = buf[op_at + 3].astype(np.int64), buf[op_at + 4].astype(np.int64)
    room = starts + lengths - op_at  # bytes from the opcode to the list's end
    one = ok & (op == BININT1)
    two = ok & (op == BININT2) & (room > 2)
    four = ok & (op == BININT) & (room > 4)
    out[one] = b1[one]
    out[two] = (b1 | b2 << 8)[two]
    signed = (b1 | b2 << 8 | b3 << 16 | b4 << 24).astype(np.uint32).view(np.int32)
    out[four] = signed[four]
    for i in np.flatnonzero(~(one | two | four)).tolist():
        out[i] = first_position(data[offsets[i] : offsets[i + 1]])
    return out


def padded(data: bytes) -> np.ndarray:
    """The bytes as an array, with `PAD` after them (copied only if not already)."""
    return np.frombuffer(data if data.endswith(PAD) else data + PAD, dtype=np.uint8)

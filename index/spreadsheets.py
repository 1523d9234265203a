"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) read as record files, like CSV (issue 19).

Scraper exports shared between researchers are very often workbooks. Each sheet is a
table whose first non-empty row names the columns; the columns are recognised as in a CSV
(`index.records.recognise`, and the user's `--map`), every sheet is read unless
`--sheet NAME` picks one, and a sheet whose columns hold no article (a sheet of labels, a
pivot table) is reported and passed over, not the end of the workbook.

The workbook is read by python-calamine (a binding of the Rust calamine library): four
times faster than openpyxl on the development exports (54 against 214 ms for a 6,256-row
workbook), 2.3 MB installed, 1 ms to import, and it reads .xls and .ods too. A formula
cell gives the value Excel cached for it. Excel's damage is undone where the cell says
what it meant: a date cell becomes its ISO date (then the URL's day settles a day/month
swap, as for CSV rows), a time cell its hh:mm, a number stays a number (serial dates and
day fractions are read by `index.record_fields`).

Article paths name the sheet and the row: `clickid_kompas.xlsx#kompas#12`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from index.errors import SkipFile
from index.reading import Parsed, ReadContext
from index.records import _Records  # the row reader CSV and JSON share
from index.sources import Found, open_found

SHEET_EXTS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
#: Empty rows in a row after which the rest of a sheet is left: a sheet formatted down to
#: row 1,048,576 holds nothing there, and reading it would take the build's time.
MAX_EMPTY_RUN = 10_000


def _workbook(found: Found) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        with open_found(found) as fh:
            return CalamineWorkbook.from_filelike(fh)
    except OSError as err:
        raise SkipFile(f"unreadable ({(err.strerror or str(err)).lower()})") from None
    except Exception as err:  # not a workbook: HTML or CSV renamed, encrypted, damaged
        why = str(err).splitlines()[0][:80] if str(err) else type(err).__name__
        raise SkipFile(f"not a readable spreadsheet ({why})") from None


def cell_value(value: Any) -> Any:
    """A cell as the record readers expect it: text, a number, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0, 0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, timedelta):  # a duration cell used for a time of day
        minutes = int(value.total_seconds() // 60) % (24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(row number from 1, cells) of the non-empty rows, up to a long run of empty ones."""
    empty = 0
    for number, row in enumerate(sheet.iter_rows(), 1):
        cells = [cell_value(v) for v in row]
        if not any(c is not None and str(c).strip() for c in cells):
            empty += 1
            if empty >= MAX_EMPTY_RUN:
                return
            continue
        empty = 0
        yield number, cells


def read_spreadsheet(found: Found, ctx: ReadContext) -> Iterator[Parsed]:
    """Every sheet (or the one `ctx.sheet` names) as a table of articles."""
    book = _workbook(found)
    names = list(book.sheet_names)
    if ctx.sheet is not None:
        if ctx.sheet not in names:
            shown = ", ".join(names[:8])
            raise SkipFile(f"no sheet named '{ctx.sheet}' (it has: {shown})")
        names = [ctx.sheet]
    passed: list[tuple[str, str]] = []  # (sheet, why no article came of it)
    read_any = False
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as err:  # a chart sheet, a damaged part
            passed.append((name, f"unreadable ({type(err).__name__})"))
            continue
        try:
            for parsed in _sheet_articles(found, ctx, name, sheet):
                read_any = True
                yield parsed
        except SkipFile as skip:
            passed.append((name, skip.reason))
    if not read_any and passed:
        whys = "; ".join(f"'{name}': {why}" for name, why in passed)
        raise SkipFile(f"no sheet holds articles ({whys[:300]})")
    for name, why in passed:  # the workbook held articles; these sheets none
        ctx.bad_row(f"{found.rel}#{name}", 1, f"sheet passed over: {why}")


def _sheet_articles(found: Found, ctx: ReadContext, name: str, sheet: Any) -> Iterator[Parsed]:
    rows = _rows(sheet)
    header: list[str] | None = None
    for _, cells in rows:
        header = [str(c).strip() if c is not None else "" for c in cells]
        break
    if header is None:
        return  # an empty sheet: nothing to say
    recs = _Records(found, ctx, None, rel=f"{found.rel}#{name}")  # read whole: no position
    for number, cells in rows:
        record = {h: v for h, v in zip(header, cells, strict=False) if h}
        parsed = recs.one(number, record)
        if parsed is not None:
            yield parsed


def row_text(found: Found, sheet: str, row: int) -> str:
    """One row of a sheet as `column: value` lines (what `warta show --raw` shows)."""
    book = _workbook(found)
    try:
        table = book.get_sheet_by_name(sheet)
    except Exception:
        raise SkipFile(f"no sheet named '{sheet}'") from None
    header: list[str] | None = None
    for number, cells in _rows(table):
        if header is None:
            header = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if number == row:
            return "\n".join(
                f"{h}: {'' if v is None else v}" for h, v in zip(header, cells, strict=False) if h
            )
    raise SkipFile(f"no row {row} in sheet '{sheet}'")

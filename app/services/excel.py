"""Excel lists (一览表, openpyxl): a header row and data rows written in streaming (write-only) mode,
returned as bytes. ID numbers are masked by the callers (X3)."""
from __future__ import annotations

import io
from collections.abc import Iterable
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(title: str, header: list[str], rows: Iterable[Iterable], sheet: str | None = None) -> bytes:
    book = Workbook(write_only=True)
    ws = book.create_sheet((sheet or title)[:31])
    from openpyxl.cell import WriteOnlyCell

    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = Font(bold=True, size=14)
    ws.append([title_cell])
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(value):
    """A text that a spreadsheet would run as a formula is written as text (CSV/Excel injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"

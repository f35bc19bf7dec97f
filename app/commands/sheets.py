"""The rows of an uploaded sheet: an Excel workbook (.xlsx, its first sheet) or a CSV file (UTF-8 or the
GBK that Excel in China writes), at most `limit` data rows past a header; Invalid at the file otherwise.
The imports (继续教育, the expert pool) read their uploads through this."""
from __future__ import annotations

import csv
import io
import zipfile

from flask_babel import lazy_gettext as _l

from app.commands.errors import Invalid

NOT_CSV = _l("The file could not be read as CSV; save it as CSV (UTF-8) or Excel (.xlsx)")


def cell(value, *, dates: bool = False):
    """A cell as text (a whole float without its .0); a date stays a date when `dates`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if dates and hasattr(value, "year") else str(value).strip()


def sheet_rows(content: bytes, limit: int, *, dates: bool = False, field: str | None = "file") -> list[list]:
    """The rows of the sheet: a header's worth of rows more than `limit`, the rest left unread; an unreadable
    file is Invalid at `field`."""
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content, limit, dates, field)
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary .xls
        raise Invalid(_l("Old .xls files are not supported; save the sheet as .xlsx or CSV"), "file")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Invalid(NOT_CSV, field)
    try:
        return [row for row in csv.reader(io.StringIO(text))][: limit + 2]
    except csv.Error:
        raise Invalid(NOT_CSV, field) from None


def _xlsx_rows(content: bytes, limit: int, dates: bool, field: str | None) -> list[list]:
    from openpyxl import load_workbook  # only an Excel import needs it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise Invalid(_l("The Excel file could not be read; save it again as .xlsx or as CSV"), field) from None
    try:
        rows = []
        for row in (workbook.worksheets[0].iter_rows(values_only=True) if workbook.worksheets else ()):
            rows.append([cell(v, dates=dates) for v in row])
            if len(rows) > limit + 1:
                break
        return rows
    finally:
        workbook.close()

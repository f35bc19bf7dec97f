"""One page of a list, at the same cost on page 1 and on the last page whatever the list's length:
keyset paging on (sort key, id) — 首页 / 上一页 / 下一页 / 末页, the last page read in the reversed
order — and a bounded count (`SELECT count(*) FROM (SELECT 1 ... LIMIT cap+1)`, 共 N 条 or 超过 N 条),
so no page walks an OFFSET through the list or counts all of it. `?page=N` (old links, bookmarks)
still works, with an OFFSET that the bounded count keeps below the cap."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Select, and_, func, literal, or_, select, tuple_

from app.extensions import db

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
POSITION_KEYS = ("after", "before", "last", "page")
MAX_TOKEN = 1024  # a cursor holds one sort value (at most a 128-character name), an id and a position
MAX_PAGE = 10**6


@dataclass
class Page:
    rows: list
    per_page: int
    count: int  # the rows counted, at most cap + 1
    capped: bool  # count stopped at the cap: show 超过 N 条
    cap: int
    start: int | None  # 0-based position of the first row, when known
    has_prev: bool
    has_next: bool
    nav: dict = field(default_factory=dict)  # first / prev / next / last → query-string args, or None

    @property
    def number(self) -> int | None:
        """The page number, when the position is known."""
        return None if self.start is None else self.start // self.per_page + 1

    @property
    def pages(self) -> int | None:
        """How many pages, when the count is exact."""
        return None if self.capped else max(1, math.ceil(self.count / self.per_page))


def per_page_arg(source) -> int:
    """?per_page=: one of PAGE_SIZES, anything else the default."""
    value = str(source.get("per_page", "") or "").strip()
    return int(value) if value.isdigit() and int(value) in PAGE_SIZES else DEFAULT_PER_PAGE


def position_args(source) -> dict:
    """Where in the list the request is (after / before a cursor, the last page, or ?page=N), cleaned
    for sending back in links, hidden fields and redirects; garbage is dropped (the first page)."""
    for key in ("after", "before"):
        value = str(source.get(key, "") or "")
        if value and len(value) <= MAX_TOKEN and _decode(value) is not None:
            return {key: value}
    if str(source.get("last", "") or "") == "1":
        return {"last": "1"}
    value = str(source.get("page", "") or "").strip()
    if value.isdigit() and len(value) <= 7 and int(value) > 1:
        return {"page": int(value)}
    return {}


def _encode(value, row_id: int, pos: int | None) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    raw = json.dumps([value, row_id, pos], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str):
    """(value, id, position) of a cursor, or None for anything that is not one of ours."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not (isinstance(data, list) and len(data) == 3 and type(data[1]) is int and 0 < data[1] < 2**63):
        return None
    value, row_id, pos = data
    if value is not None and not isinstance(value, (str, int, bool)):
        return None
    if not (pos is None or (type(pos) is int and 0 <= pos <= 2**31)):
        pos = None
    return value, row_id, pos


def _typed(column, value):
    """The cursor's JSON value as the sort column's Python type (a datetime from its ISO text); None if it
    does not fit."""
    if value is None:
        return None
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    try:
        if kind is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if kind is dt.date:
            return dt.date.fromisoformat(value)
        if kind is bool:
            return bool(value)
        if kind is int:
            return int(value) if not isinstance(value, bool) else None
        if kind is str:
            return value if isinstance(value, str) else None
    except (TypeError, ValueError):
        return None
    return value


def _nulls_high() -> bool:
    """PostgreSQL orders NULL above every value, SQLite below: the keyset condition must know which."""
    return db.session.get_bind().dialect.name == "postgresql"


def _beyond(key, id_col, value, row_id: int, ascending: bool):
    """The rows after (value, row_id) in ORDER BY key, id (both ascending or both descending). With a
    value the condition is a row comparison, which the (…, key, id) index answers as a range."""
    nulls_after = _nulls_high() if ascending else not _nulls_high()
    if value is not None:
        literal_value = literal(value, type_=key.type)
        compare = (tuple_(key, id_col) > tuple_(literal_value, literal(row_id))) if ascending else \
            (tuple_(key, id_col) < tuple_(literal_value, literal(row_id)))
        return or_(compare, key.is_(None)) if nulls_after else compare
    same = and_(key.is_(None), id_col > row_id if ascending else id_col < row_id)
    return same if nulls_after else or_(key.is_not(None), same)


def _order(key, id_col, ascending: bool):
    return (key.asc(), id_col.asc()) if ascending else (key.desc(), id_col.desc())


def bounded_count(query: Select, cap: int) -> int:
    """The rows of `query`, counted up to cap + 1 and no further."""
    inner = query.order_by(None).with_only_columns(literal(1), maintain_column_froms=True).limit(cap + 1)
    return db.session.execute(select(func.count()).select_from(inner.subquery())).scalar_one()


def paginate(query: Select, *, key, id_col, ascending: bool = False, source, options=(), rows=None) -> Page:
    """One page of `query` (a SELECT of one entity) in ORDER BY key, id_col, placed by the request's
    position args (see position_args) and ?per_page=. Two statements whatever the page and its size:
    the bounded count and the rows (with `options`, e.g. joinedloads). `rows(count)`, when given, is the
    query the rows are read from (the same rows as `query`, in a shape chosen by the list's length)."""
    per_page = per_page_arg(source)
    position = position_args(source)
    cap = int(current_app.config.get("PAGING_COUNT_CAP", 10_000))
    count = bounded_count(query, cap)
    capped = count > cap
    exact_pages = None if capped else max(1, math.ceil(count / per_page))
    rows_query = (query if rows is None else rows(count)).add_columns(key).options(*options)
    reverse = False  # read in the reversed order, then turned round (上一页, 末页)
    limit, offset, start = per_page + 1, 0, 0
    cursor = None
    if "after" in position or "before" in position:
        cursor = _decode(position.get("after") or position["before"])
    if cursor is not None and _typed(key, cursor[0]) is None and cursor[0] is not None:
        cursor = None  # a cursor made for another sort
    if cursor is not None:
        value, row_id, pos = cursor
        value = _typed(key, value)
        if "after" in position:
            rows_query = rows_query.where(_beyond(key, id_col, value, row_id, ascending))
            start = None if pos is None else pos + 1
        else:
            reverse = True
            rows_query = rows_query.where(_beyond(key, id_col, value, row_id, not ascending))
            start = None if pos is None or pos - per_page < 0 else pos - per_page
    elif "last" in position:
        reverse = True
        if exact_pages is not None:  # the same pages as forward: the last holds what is left over
            limit = count - (exact_pages - 1) * per_page or per_page
            start = (exact_pages - 1) * per_page
        else:
            start = None
    elif "page" in position:
        number = min(int(position["page"]), exact_pages or math.ceil(cap / per_page) + 1, MAX_PAGE)
        offset = start = (number - 1) * per_page
    order = _order(key, id_col, not ascending if reverse else ascending)
    result = db.session.execute(rows_query.order_by(*order).offset(offset or None).limit(limit)).unique().all()
    extra = len(result) > per_page
    result = result[:per_page]
    if reverse:
        result.reverse()
    rows = [row[0] for row in result]
    keys = [row[1] for row in result]
    if cursor is not None and "after" in position:
        has_prev, has_next = True, extra
    elif cursor is not None:
        has_prev, has_next = extra, True
        if not extra:
            start = 0
    elif "last" in position:
        has_prev, has_next = (start or 0) > 0 if start is not None else extra, False
    else:
        has_prev, has_next = start > 0, extra
    if not rows:  # past the end (rows gone since the link was made): offer the first page only
        has_next = False
    page = Page(rows=rows, per_page=per_page, count=count, capped=capped, cap=cap, start=start,
                has_prev=has_prev, has_next=has_next)
    size = {} if per_page == DEFAULT_PER_PAGE else {"per_page": per_page}
    end = None if start is None else start + len(rows) - 1
    page.nav = {
        "first": dict(size) if has_prev else None,
        "prev": dict(size, before=_encode(keys[0], rows[0].id, start)) if has_prev and rows else None,
        "next": dict(size, after=_encode(keys[-1], rows[-1].id, end)) if has_next and rows else None,
        "last": dict(size, last="1") if has_next else None,
    }
    if has_prev and not rows:
        page.nav["first"] = dict(size)
    return page


def numbered_slice(query: Select, page: int, per_page: int) -> tuple[list, bool]:
    """(the rows of page `page`, whether more follow) for the JSON pickers, which select2 asks by page
    number: one statement with LIMIT per_page + 1; the caller bounds `page`."""
    rows = db.session.execute(query.offset((max(page, 1) - 1) * per_page).limit(per_page + 1)).all()
    return rows[:per_page], len(rows) > per_page

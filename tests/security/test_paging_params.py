"""The paging parameters of the lists (?per_page=, ?after=, ?before=, ?last=, ?page=) are untrusted:
garbage or huge values give a sensible page (never a 500), and a cursor made from another unit's row,
or forged outright, shows nothing beyond the signed-in unit's own rows."""
from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.applications import Application
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit
from tests.integration.test_paging import BASE, _client, _ids, _link, queue  # noqa: F401


def _cursor(value, row_id, pos=0) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, row_id, pos]).encode()).decode().rstrip("=")


GARBAGE = ["per_page=abc", "per_page=-10", f"per_page={10**20}", "per_page=7", "page=abc", "page=-3",
           f"page={10**20}", "page=99999", "last=yes", "after=garbage", "before=%E4%B8%AD%E6%96%87", "after=" + "A" * 5000,
           "after=" + _cursor("not a time", 1), "before=" + _cursor(2**70, 1), "after=" + _cursor(None, -5),
           "after=" + _cursor({"a": 1}, 3), "before=" + _cursor("2026-03-01T08:00:00", 1, -9)]


@pytest.mark.parametrize("url", ["/review/", "/report/?tab=entrusted&sort=name", "/applications/"])
def test_garbage_paging_parameters_give_a_page_not_an_error(app, queue, url):
    queue["fill"](30)
    client = _client(app, "wangwu" if url.startswith("/applications") else "unit1")
    for query in GARBAGE:
        response = client.get(url + ("&" if "?" in url else "?") + query)
        assert response.status_code == 200, (query, response.status_code)
        assert "每页条数" in response.get_data(as_text=True), query


def test_cursor_from_another_units_row_shows_only_own_rows(app, queue):
    queue["fill"](5)
    with app.app_context():
        other_unit = permitted_unit(make_unit_account("unit2", name="威海市另一单位"))
        other = make_person(username="lisi", id_number=id_number(7), real_name="李四")
        theirs = [make_application(other, unit=other_unit, status="pending_unit", current_unit_id=other_unit.id,
                                   year=2026 - n, submitted_at=BASE + dt.timedelta(hours=n)).id for n in range(3)]
        db.session.commit()
        mine = set(db.session.execute(select(Application.id).where(
            Application.current_unit_id == queue["unit"])).scalars())
        assert len(mine) == 5
    client = _client(app)
    for token in (_cursor((BASE + dt.timedelta(hours=5)).isoformat(), theirs[-1]), _cursor(None, theirs[0])):
        for key in ("after", "before"):
            page = client.get(f"/review/?{key}={token}").get_data(as_text=True)
            shown = set(_ids(page))
            assert shown <= mine and not shown & set(theirs), (key, shown)
    # and the unit's own pages never reach the other unit's rows, walking from its first to its last page
    url = "/review/?per_page=10"
    while url:
        page = client.get(url).get_data(as_text=True)
        assert not set(_ids(page)) & set(theirs)
        url = _link(page, "next")

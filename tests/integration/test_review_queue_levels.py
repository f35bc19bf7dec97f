"""数据审核's 申报级别: the filter's choices and each row's level name come from one list kept between
requests (CHOICE_CACHE_SECONDS); a level written in this process shows at once; the page's own query joins
no title_level."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.catalog import TitleLevel
from tests.integration.test_paging import _client, queue  # noqa: F401 (the fixture)
from tests.integration.test_query_counts import count_statements


def _level_cells(page: str) -> list[str]:
    return re.findall(r'<tr data-id="\d+">\s*<td>[^<]*</td><td class="business">[^<]*</td>\s*<td>\d+</td><td>([^<]*)</td>',
                      page)


def test_level_names_kept_between_requests_and_renewed_on_write(app, queue):  # noqa: F811
    queue["fill"](3)
    client = _client(app)
    first = client.get("/review/").get_data(as_text=True)
    assert _level_cells(first) == ["初级"] * 3  # the factory's level (tests/factories.py)
    with count_statements(app) as seen:
        again = client.get("/review/").get_data(as_text=True)
    assert _level_cells(again) == ["初级"] * 3
    assert not [s for s in seen if "title_level" in s], seen  # neither a choices query nor a join in the page
    with app.app_context():
        level = db.session.execute(select(TitleLevel).where(TitleLevel.name == "初级")).scalar_one()
        level.name = "初级职称"
        db.session.commit()
    renamed = client.get("/review/").get_data(as_text=True)
    assert _level_cells(renamed) == ["初级职称"] * 3
    assert re.search(r'<option value="\d+">初级职称</option>', renamed)


def test_no_keeping_when_the_setting_is_zero(app, queue, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "CHOICE_CACHE_SECONDS", 0)
    client = _client(app)
    client.get("/review/")
    with count_statements(app) as seen:
        assert client.get("/review/").status_code == 200
    assert len([s for s in seen if "FROM title_level" in s]) == 1, seen

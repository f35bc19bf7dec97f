"""The application form's pickers: title cascade, unit picker (U2), open committees (P3)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from app import catalog_data
from app.extensions import db
from app.models.catalog import Committee, CommitteePeriod, Region, TitleLevel, TitleSeries
from app.models.units import Unit
from tests.conftest import login


def _ids(app):
    with app.app_context():
        catalog_data.load_all(today=dt.date(2026, 11, 22))
        level = db.session.execute(select(TitleLevel.id).filter_by(name="初级")).scalar_one()
        series = db.session.execute(select(TitleSeries.id).filter_by(name="群众文化")).scalar_one()
        region = db.session.execute(select(Region.id).filter_by(code="371002")).scalar_one()
        return level, series, region


def _units(app, names, region_code="371002", permitted=True):
    with app.app_context():
        region = db.session.execute(select(Region).filter_by(code=region_code)).scalar_one()
        units = [Unit(name=n, region=region, contact_name="联系人", mobile="13900000000", has_permission=permitted)
                 for n in names]
        db.session.add_all(units)
        db.session.commit()
        return [u.id for u in units]


def test_title_cascade(app, client, demo):
    level, series, _region = _ids(app)
    login(client, "demo_person")
    names = [s["name"] for s in client.get(f"/pickers/series?level={level}").get_json()]
    assert "群众文化" in names and "艺术" in names
    assert [t["name"] for t in client.get(f"/pickers/titles?level={level}&series={series}").get_json()] == ["助理馆员"]
    assert "舞蹈" in [s["name"] for s in client.get(f"/pickers/specialties?series={series}").get_json()]
    assert client.get("/pickers/titles?level=abc&series=").get_json() == []


def test_unit_picker_lists_only_permitted_units_by_fuzzy_name(app, client, demo):
    _units(app, ["环翠区图书馆", "环翠区博物馆"])
    _units(app, ["环翠区未获权限单位"], permitted=False)
    login(client, "demo_person")
    found = client.get("/pickers/units?q=环翠区").get_json()
    texts = [r["text"] for r in found["results"]]
    assert "环翠区图书馆（环翠区）" not in texts and any(t.startswith("环翠区图书馆（威海市环翠区") for t in texts)
    assert not any("未获权限" in t for t in texts) and found["more"] is False
    assert [r["text"].split("（")[0] for r in client.get("/pickers/units?q=博物").get_json()["results"]] == ["环翠区博物馆"]


def test_unit_picker_escapes_like_wildcards(app, client, demo):
    _units(app, ["百分之百%单位", "下划线_单位", "普通单位"])
    login(client, "demo_person")
    assert [r["text"].split("（")[0] for r in client.get("/pickers/units?q=%").get_json()["results"]] == ["百分之百%单位"]
    assert [r["text"].split("（")[0] for r in client.get("/pickers/units?q=_").get_json()["results"]] == ["下划线_单位"]


def test_unit_picker_pages(app, client, demo):
    _units(app, [f"测试单位{i:03d}" for i in range(45)])
    login(client, "demo_person")
    first = client.get("/pickers/units?q=测试单位&page=1").get_json()
    third = client.get("/pickers/units?q=测试单位&page=3").get_json()
    assert len(first["results"]) == 20 and first["more"] is True
    assert len(third["results"]) == 5 and third["more"] is False
    assert client.get("/pickers/units?q=测试单位&page=999999").get_json()["results"][0]["text"].startswith("测试单位000")


def test_unit_picker_statements_do_not_grow_with_units(app, client, demo):
    _units(app, [f"批量单位{i:04d}" for i in range(200)])
    login(client, "demo_person")
    client.get("/pickers/units?q=批量")
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args, **kwargs: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert len(client.get("/pickers/units?q=批量").get_json()["results"]) == 20
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    picker_queries = [s for s in seen if "FROM unit" in s]
    assert len(picker_queries) == 1 and len(seen) <= 6, seen


def test_open_committees_match_level_series_region_and_period(app, client, clock, demo):
    level, series, _region = _ids(app)
    unit_id = _units(app, ["环翠区文化站"])[0]
    login(client, "demo_person")
    url = f"/pickers/committees?level={level}&series={series}&unit={unit_id}&year=2026"
    names = [c["name"] for c in client.get(url).get_json()]
    assert names == ["威海市环翠区群众文化专业职务资格初级评审委员会"]
    # a unit of another region sees none; a closed period shows none
    other_unit = _units(app, ["南京单位"], region_code="320102")[0]
    assert client.get(url.replace(f"unit={unit_id}", f"unit={other_unit}")).get_json() == []
    with app.app_context():
        period = db.session.execute(select(CommitteePeriod).join(Committee).where(
            Committee.name == "威海市环翠区群众文化专业职务资格初级评审委员会")).scalar_one()
        period.ends_on = dt.date(2026, 1, 31)
        db.session.commit()
    assert client.get(url).get_json() == []


def test_committee_cannot_use_pickers(app, client, demo):
    login(client, "demo_committee")
    assert client.get("/pickers/units?q=x").status_code == 403

"""Security of the new-user issue items 11–15 on the unit pages: the 确定 step of 数据上报 checks the rows
again and a forged 确定 of another unit's application changes nothing and names no target; the business
filter and the new columns stay within the unit's own rows; 终审通过 beyond the authority's level and a
second authority of one level are refused in the command, whatever the page offered."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.commands.errors import CommandError, NotAllowed
from app.commands.review.final import FinalPassCommand
from app.commands.units.authority import ApplyFinalAuthorityCommand
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.catalog import TitleLevel
from app.models.units import FinalAuthorityApplication, Unit
from app.services import steps
from tests.factories import id_number, make_application, make_person
from tests.integration.test_report_list import _client, _count, _path, _rows, _state, world  # noqa: F401


def test_forged_confirm_of_another_units_application_changes_nothing(app, world):
    _path(app, world)
    client = _client(app)
    before = _state(app, world["plain_a"], world["theirs"])
    for data in ({"ids": [world["plain_a"], world["theirs"]]},
                 {"ids": [world["plain_a"], world["theirs"]], "confirm": "1", "plan": "威海市文化和旅游局（测试）:2"}):
        page = client.post("/report/report", data=data).get_data(as_text=True)
        assert f"编号 {world['theirs']} 的申报不在本单位“通过未上报”列表中" in page
        assert 'id="report-confirm"' not in page and "威海市另一测试单位" not in page
    assert _state(app, world["plain_a"], world["theirs"]) == before
    assert _count(app, ApplicationEvent) == 0


def test_confirm_without_the_plan_shown_sends_nothing(app, world):
    """A scripted POST with confirm=1 but without the plan of a confirmation page is shown the page."""
    _path(app, world)
    client = _client(app)
    page = client.post("/report/report", data={"ids": [world["plain_a"]], "confirm": "1"}).get_data(as_text=True)
    assert 'id="report-confirm"' in page
    assert _state(app, world["plain_a"])[0][:2] == ("passed_unit", world["unit"])
    assert _count(app, ApplicationEvent) == 0


def test_confirm_needs_a_unit_account(app, world):
    with app.app_context():
        make_person(username="pp", id_number=id_number(901), real_name="某人")
    client = _client(app, "pp")
    response = client.post("/report/report", data={"ids": [world["plain_a"]], "confirm": "1"})
    assert response.status_code in (302, 403)
    assert _state(app, world["plain_a"])[0][:2] == ("passed_unit", world["unit"])
    anonymous = app.test_client()
    assert anonymous.post("/report/report", data={"ids": [world["plain_a"]], "confirm": "1"}).status_code == 302
    assert anonymous.get("/review/?business=recognition").status_code == 302
    assert _state(app, world["plain_a"])[0][:2] == ("passed_unit", world["unit"])


def test_business_filter_and_columns_stay_within_own_rows(app, world):
    with app.app_context():
        other = db.session.get(Unit, world["other"])
        person = make_person(username="pq", id_number=id_number(902), real_name="外单位认定人")
        theirs = make_application(person, unit=other, business="recognition", status="pending_unit",
                                  current_unit_id=other.id)
        steps.arrive(theirs, other.id)
        db.session.commit()
        theirs_id = theirs.id
    client = _client(app)
    for url in ("/review/?business=recognition", "/review/?business=recognition&status=passed_unit",
                "/report/?tab=reported", "/review/?business=transfer"):
        page = client.get(url).get_data(as_text=True)
        assert theirs_id not in _rows(page) and "外单位认定人" not in page
    assert theirs_id in _rows(_client(app, "unit2").get("/review/?business=recognition").get_data(as_text=True))


def test_final_pass_beyond_the_authoritys_level_is_refused_in_the_command(ctx, world):
    unit = db.session.get(Unit, world["unit"])
    junior = db.session.execute(select(TitleLevel).filter_by(name="初级")).scalar_one()
    db.session.add(FinalAuthorityApplication(unit_id=unit.id, business="recognition", level_id=junior.id,
                                             organisation="机构", region_id=unit.region_id, status="approved",
                                             created_at=utcnow()))
    person = make_person(username="pr", id_number=id_number(903), real_name="中级认定人")
    middle = make_application(person, unit=unit, business="recognition", level="中级", status="pending_unit",
                              current_unit_id=unit.id, committee_id=None)
    unit_user = unit.user
    with pytest.raises(NotAllowed) as err:
        FinalPassCommand(unit_user, middle.id).run()
    assert "本单位的终审权限不包括中级" in str(err.value.message)
    db.session.expire_all()
    assert db.session.get(Application, middle.id).status == "pending_unit"
    # the same level twice is refused in the command, next to the level
    with pytest.raises(CommandError) as err:
        ApplyFinalAuthorityCommand(unit_user, "recognition", {"level_id": str(junior.id),
                                                              "organisation": "机构"}).run()
    assert err.value.field == "level_id"
    assert len(db.session.execute(select(FinalAuthorityApplication.id)).scalars().all()) == 1

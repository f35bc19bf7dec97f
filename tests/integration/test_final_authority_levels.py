"""New-user issue item 15: the final-review authority (U5) holds for its certificate level (证书等级) only,
and a unit may apply for further levels."""
from __future__ import annotations

from sqlalchemy import select

from app.commands.units.authority import has_final_authority
from app.extensions import db
from app.models.catalog import TitleLevel
from app.models.units import FinalAuthorityApplication
from tests.factories import id_number, make_application, make_person
from tests.integration.test_unit_chain import (_approve_unit_path, _client, _decide, _post, _report, _state,
                                               _unit, world)  # noqa: F401 (world is a fixture)

UNIT, SUPERIOR = "威海市环翠区文化馆", "威海市环翠区文化和旅游局"


def _level_id(name: str) -> int:
    return db.session.execute(select(TitleLevel.id).filter_by(name=name)).scalar_one()


def _grant(app, superior, bureau, level: str) -> None:
    """demo_superior applies for the recognition authority of `level`; demo_bureau approves it."""
    with app.app_context():
        level_id = _level_id(level)
    response = _post(superior, "/units/final-authority/apply/recognition",
                     {"level_id": level_id, "organisation": SUPERIOR})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        authority_id = db.session.execute(select(FinalAuthorityApplication.id).filter_by(
            level_id=level_id, status="pending")).scalar_one()
    assert _post(bureau, f"/units/final-authority-review/{authority_id}/approve", {}).status_code == 302


def _recognition_at_superior(app, unit, superior, n: int, level: str) -> int:
    """A recognition application of `level` by a new applicant, passed by demo_unit and reported to
    demo_superior (pending its review there)."""
    with app.app_context():
        person = make_person(username=f"r{n}", id_number=id_number(500 + n), real_name=f"认定人{n}")
        application_id = make_application(person, unit=_unit(UNIT), business="recognition", level=level,
                                          committee_id=None).id
    if n == 1 or level != "初级":
        _approve_unit_path(app, unit, superior, "recognition", application_id)
    assert _client(app, f"r{n}").post(f"/applications/{application_id}/submit").status_code == 302
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    assert _state(app, application_id) == ("pending_unit", SUPERIOR)
    return application_id


def test_authority_of_one_level_does_not_final_pass_another(app, world):
    unit, superior, bureau = (_client(app, n) for n in ("demo_unit", "demo_superior", "demo_bureau"))
    _grant(app, superior, bureau, "初级")
    junior = _recognition_at_superior(app, unit, superior, 1, "初级")
    middle = _recognition_at_superior(app, unit, superior, 2, "中级")
    # 中级 at a unit authorised for 初级: no 终审通过 offered, a forged one refused, nothing changes
    page = superior.get(f"/review/{middle}").get_data(as_text=True)
    assert 'id="final-pass"' not in page and 'id="pass"' in page
    html = _decide(superior, middle, "final_pass", opinion="同意认定").get_data(as_text=True)
    assert "本单位的终审权限不包括中级" in html
    assert _state(app, middle) == ("pending_unit", SUPERIOR)
    # 初级: finished there
    assert 'id="final-pass"' in superior.get(f"/review/{junior}").get_data(as_text=True)
    assert _decide(superior, junior, "final_pass", opinion="同意认定").status_code == 302
    assert _state(app, junior)[0] == "final_passed"
    with app.app_context():
        unit_id = _unit(SUPERIOR).id
        assert has_final_authority(unit_id, "recognition", _level_id("初级"))
        assert not has_final_authority(unit_id, "recognition", _level_id("中级"))
    # the unit applies for 中级 as well (it was refused with 已获得该权限); then 中级 is finished there too
    _grant(app, superior, bureau, "中级")
    assert 'id="final-pass"' in superior.get(f"/review/{middle}").get_data(as_text=True)
    assert _decide(superior, middle, "final_pass", opinion="同意认定").status_code == 302
    assert _state(app, middle)[0] == "final_passed"


def test_a_unit_may_apply_for_further_levels_but_not_twice_for_one(app, world):
    superior, bureau = _client(app, "demo_superior"), _client(app, "demo_bureau")
    _grant(app, superior, bureau, "初级")
    page = superior.get("/units/final-authority/").get_data(as_text=True)
    assert 'href="/units/final-authority/apply/recognition"' in page  # not greyed out: other levels remain
    assert "初级" in page.split('data-business="recognition"')[1].split("</tr>")[0]
    form = superior.get("/units/final-authority/apply/recognition").get_data(as_text=True)
    with app.app_context():
        junior, middle = _level_id("初级"), _level_id("中级")
    assert f'<option value="{junior}" disabled>初级（审核通过）</option>' in form
    assert f'<option value="{middle}">中级</option>' in form
    # the same level again: refused next to the level field, nothing saved
    html = _post(superior, "/units/final-authority/apply/recognition",
                 {"level_id": junior, "organisation": "再次"}).get_data(as_text=True)
    assert 'id="error-level_id"' in html and "已获得该权限" in html.split('id="error-level_id"')[1][:200]
    # another level: waiting for review, and then that one cannot be applied for twice either
    assert _post(superior, "/units/final-authority/apply/recognition",
                 {"level_id": middle, "organisation": SUPERIOR}).status_code == 302
    html = _post(superior, "/units/final-authority/apply/recognition",
                 {"level_id": middle, "organisation": SUPERIOR}).get_data(as_text=True)
    assert "该权限申请正在等待审核" in html
    with app.app_context():
        rows = db.session.execute(select(FinalAuthorityApplication.level_id, FinalAuthorityApplication.status)
                                  .order_by(FinalAuthorityApplication.id)).all()
        assert [tuple(r) for r in rows] == [(junior, "approved"), (middle, "pending")]
    # every level granted or waiting: the button greys out
    with app.app_context():
        others = db.session.execute(select(TitleLevel.id).where(TitleLevel.id.notin_([junior, middle]))
                                    ).scalars().all()
    for level_id in others:
        assert _post(superior, "/units/final-authority/apply/recognition",
                     {"level_id": level_id, "organisation": SUPERIOR}).status_code == 302
    page = superior.get("/units/final-authority/").get_data(as_text=True)
    assert 'disabled id="apply-recognition"' in page



def test_a_second_application_of_one_level_racing_the_first_is_refused_not_a_500(app, world, monkeypatch):
    """Two 提交 of one level at once: both checks saw none, the partial unique index refuses the second."""
    from app.daos import units as units_dao

    superior = _client(app, "demo_superior")
    with app.app_context():
        junior = _level_id("初级")
    assert _post(superior, "/units/final-authority/apply/recognition",
                 {"level_id": junior, "organisation": SUPERIOR}).status_code == 302
    monkeypatch.setattr(units_dao, "open_authority", lambda *args, **kwargs: None)  # checked before it committed
    response = _post(superior, "/units/final-authority/apply/recognition", {"level_id": junior, "organisation": "再次"})
    assert response.status_code == 200 and "该权限申请正在等待审核" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(FinalAuthorityApplication.organisation)).scalars().all() == [SUPERIOR]

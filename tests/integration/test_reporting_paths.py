"""U3/U4 reporting paths (单位路径申请, 评委会路径申请, their review by the target, one effective path)
and U5 终审权限申请 (the bureau of the region decides; the button is greyed out once granted)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.commands.units.authority import has_final_authority
from app.commands.units.paths import effective_path
from app.demo import DEMO_COMMITTEE
from app.extensions import db
from app.models.audit import AuditLog
from app.models.catalog import Committee, TitleLevel, TitleSeries
from app.models.units import FinalAuthorityApplication, ReportingPath, Unit
from tests.conftest import login
from tests.factories import make_backend, make_unit_account


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _unit(name="威海市环翠区文化馆") -> Unit:
    return db.session.execute(select(Unit).where(Unit.name == name)).scalar_one()


def _ids(series="群众文化", level="初级"):
    return (db.session.execute(select(TitleSeries.id).filter_by(name=series)).scalar_one(),
            db.session.execute(select(TitleLevel.id).filter_by(name=level)).scalar_one())


def _committee() -> Committee:
    return db.session.execute(select(Committee).filter_by(name=DEMO_COMMITTEE)).scalar_one()


def _unit_path_form(business_set="review", target="威海市环翠区文化和旅游局", **changes):
    series_id, level_id = _ids()
    data = {"business_set": business_set, "series_id": str(series_id), "level_id": str(level_id),
            "target_unit_id": str(_unit(target).id)}
    data.update(changes)
    return data


def _paths():
    return db.session.execute(select(ReportingPath).order_by(ReportingPath.id)).scalars().all()


def _audits(action):
    return db.session.execute(select(func.count(AuditLog.id)).where(AuditLog.action == action)).scalar_one()


@pytest.fixture
def unit(app, demo):
    return _client(app, "demo_unit")


def test_a_unit_path_is_not_effective_until_the_superior_unit_approves(app, unit):
    page = unit.get("/units/paths/new/unit").get_data(as_text=True)
    assert "/pickers/units" in page and "上报单位" in page
    with app.app_context():
        form = _unit_path_form()
    assert unit.post("/units/paths/new/unit", data=form).status_code == 302
    with app.app_context():
        (path,) = _paths()
        assert path.status == "pending" and _audits("reporting_path.create_unit") == 1
        series_id, level_id = _ids()
        assert effective_path(_unit().id, "review", series_id, level_id) is None
        path_id = path.id
    assert "未生效" in unit.get("/units/paths/?kind=unit").get_data(as_text=True)
    superior = _client(app, "demo_superior")
    html = superior.get("/units/path-review/").get_data(as_text=True)
    assert "单位路径审核" in html and "威海市环翠区文化馆" in html
    assert superior.post(f"/units/path-review/{path_id}/approve").status_code == 302
    with app.app_context():
        found = effective_path(_unit().id, "review", series_id, level_id)
        assert found is not None and found.id == path_id and found.target_unit.name == "威海市环翠区文化和旅游局"
        assert effective_path(_unit().id, "recognition", series_id, level_id) is None
        assert _audits("reporting_path.approve") == 1
    html = unit.get("/units/paths/?kind=unit&status=effective").get_data(as_text=True)
    assert f'data-id="{path_id}"' in html and "已生效" in html
    assert f'data-id="{path_id}"' not in unit.get("/units/paths/?kind=unit&status=pending").get_data(as_text=True)


def test_recognition_and_transfer_in_share_their_paths(app, unit):
    with app.app_context():
        unit.post("/units/paths/new/unit", data=_unit_path_form("recognition"))
        path_id = _paths()[0].id
    _client(app, "demo_superior").post(f"/units/path-review/{path_id}/approve")
    with app.app_context():
        series_id, level_id = _ids()
        for business in ("recognition", "transfer"):
            assert effective_path(_unit().id, business, series_id, level_id).id == path_id
        assert effective_path(_unit().id, "review", series_id, level_id) is None


def test_a_rejected_path_shows_its_reason_to_the_applicant(app, unit):
    with app.app_context():
        unit.post("/units/paths/new/unit", data=_unit_path_form())
        path_id = _paths()[0].id
    superior = _client(app, "demo_superior")
    superior.post(f"/units/path-review/{path_id}/reject", data={"reason": ""})
    with app.app_context():
        assert _paths()[0].status == "pending"
    superior.post(f"/units/path-review/{path_id}/reject", data={"reason": "系列选择有误"})
    with app.app_context():
        assert _paths()[0].status == "rejected" and _audits("reporting_path.reject") == 1
    html = unit.get("/units/paths/?kind=unit&status=rejected").get_data(as_text=True)
    assert "系列选择有误" in html and "审核不通过" in html
    # the target lists it under its status too
    assert f'data-id="{path_id}"' in superior.get("/units/path-review/?status=rejected").get_data(as_text=True)
    assert f'data-id="{path_id}"' not in superior.get("/units/path-review/").get_data(as_text=True)


def test_a_committee_path_is_approved_by_its_committee_only(app, unit):
    with app.app_context():
        committee = _committee()
        other = Committee(name="另一个评委会", series_id=committee.series_id, level_id=committee.level_id,
                          region_id=committee.region_id)
        db.session.add(other)
        db.session.commit()
        make_backend("other_committee", "Committee", region_code="371002", committee=other)
        committee_id = committee.id
    assert "评委会" in unit.get("/units/paths/new/committee").get_data(as_text=True)
    unit.post("/units/paths/new/committee", data={"business_set": "review", "committee_id": str(committee_id)})
    with app.app_context():
        (path,) = _paths()
        assert path.committee_id == committee_id and (path.series_id, path.level_id) == _ids()
        path_id = path.id
    assert f'data-id="{path_id}"' in unit.get("/units/paths/?kind=committee").get_data(as_text=True)
    assert f'data-id="{path_id}"' not in unit.get("/units/paths/?kind=unit").get_data(as_text=True)
    # forged approvals: another committee, the superior unit, the applicant itself
    assert _client(app, "other_committee").post(f"/units/path-review/{path_id}/approve").status_code == 404
    assert _client(app, "demo_superior").post(f"/units/path-review/{path_id}/approve").status_code == 404
    assert unit.post(f"/units/path-review/{path_id}/approve").status_code == 404
    with app.app_context():
        assert _paths()[0].status == "pending"
    committee_client = _client(app, "demo_committee")
    assert "评委会路径审核" in committee_client.get("/units/path-review/").get_data(as_text=True)
    assert committee_client.post(f"/units/path-review/{path_id}/approve").status_code == 302
    with app.app_context():
        assert _paths()[0].status == "effective"


def test_forged_approval_of_a_unit_path_by_a_unit_that_is_not_the_target(app, unit):
    with app.app_context():
        make_unit_account("stranger", "威海市其他单位", "371002")
        unit.post("/units/paths/new/unit", data=_unit_path_form())
        path_id = _paths()[0].id
    assert _client(app, "stranger").post(f"/units/path-review/{path_id}/approve").status_code == 404
    assert _client(app, "demo_committee").post(f"/units/path-review/{path_id}/reject",
                                               data={"reason": "x"}).status_code == 404
    with app.app_context():
        assert _paths()[0].status == "pending"


def test_only_one_effective_path_per_business_series_and_level(app, unit):
    with app.app_context():
        unit.post("/units/paths/new/unit", data=_unit_path_form())
        unit.post("/units/paths/new/committee", data={"business_set": "review", "committee_id": str(_committee().id)})
        first, second = _paths()
    _client(app, "demo_superior").post(f"/units/path-review/{first.id}/approve")
    html = _client(app, "demo_committee").post(f"/units/path-review/{second.id}/approve",
                                               follow_redirects=True).get_data(as_text=True)
    assert "本单位在该业务、系列和级别已有生效的上报路径" in html
    with app.app_context():
        assert [p.status for p in _paths()] == ["effective", "pending"]
    # a new application for the same key is refused while one is effective
    with app.app_context():
        form = _unit_path_form()
    html = unit.post("/units/paths/new/unit", data=form).get_data(as_text=True)
    assert "已有生效的上报路径" in html
    with app.app_context():
        assert len(_paths()) == 2
        # and the database refuses a second effective row whatever the code does
        path = _paths()[0]
        db.session.add(ReportingPath(unit_id=path.unit_id, business_set="review", series_id=path.series_id,
                                     level_id=path.level_id, committee_id=_committee().id, status="effective",
                                     created_at=utcnow()))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_lost_race_for_the_one_effective_path_is_refused_not_a_500(app, unit, monkeypatch):
    """Two targets approving paths of one key at once: the check saw no effective path, the partial unique
    index refuses the second; the reviewer is told so and nothing of that decision is kept."""
    from app.daos import units as units_dao

    with app.app_context():
        unit.post("/units/paths/new/unit", data=_unit_path_form())
        unit.post("/units/paths/new/committee", data={"business_set": "review", "committee_id": str(_committee().id)})
        first, second = _paths()
    _client(app, "demo_superior").post(f"/units/path-review/{first.id}/approve")
    monkeypatch.setattr(units_dao, "effective_path", lambda *args, **kwargs: None)  # checked before it committed
    response = _client(app, "demo_committee").post(f"/units/path-review/{second.id}/approve", follow_redirects=True)
    assert response.status_code == 200 and "本单位在该业务、系列和级别已有生效的上报路径" in response.get_data(as_text=True)
    with app.app_context():
        assert [p.status for p in _paths()] == ["effective", "pending"]
        assert _audits("reporting_path.approve") == 1


def test_the_target_must_be_another_unit_with_permission(app, unit):
    with app.app_context():
        make_unit_account("noperm", "威海市无权限单位", "371002")
        form = _unit_path_form(target="威海市无权限单位")
        own = _unit_path_form(target="威海市环翠区文化馆")
    assert "请选择具有职称申报权限的上级单位" in unit.post("/units/paths/new/unit", data=form).get_data(as_text=True)
    assert "不能选择本单位作为上报单位" in unit.post("/units/paths/new/unit", data=own).get_data(as_text=True)
    html = unit.post("/units/paths/new/unit", data={"business_set": "review"}).get_data(as_text=True)
    assert "请选择职称系列" in html
    with app.app_context():
        assert _paths() == []


def test_a_unit_without_permission_cannot_add_paths(app, demo):
    with app.app_context():
        make_unit_account("noperm", "威海市无权限单位", "371002")
        form = _unit_path_form()
    client = _client(app, "noperm")
    assert "请先申请职称申报权限" in client.post("/units/paths/new/unit", data=form).get_data(as_text=True)
    with app.app_context():
        assert _paths() == []


# ------------------------------------------------------------------ U5 终审权限申请
def _authorities():
    return db.session.execute(select(FinalAuthorityApplication).order_by(FinalAuthorityApplication.id)).scalars().all()


def test_final_authority_is_granted_by_the_regions_bureau_and_the_button_greys_out(app, unit):
    page = unit.get("/units/final-authority/").get_data(as_text=True)
    assert 'href="/units/final-authority/apply/recognition"' in page
    with app.app_context():
        level_id = _ids()[1]
        make_backend("bureau_jn", "Bureau", region_code="370100")
    html = unit.post("/units/final-authority/apply/recognition", data={"level_id": str(level_id), "organisation": ""}
                     ).get_data(as_text=True)
    assert 'id="error-organisation"' in html
    assert unit.post("/units/final-authority/apply/recognition",
                     data={"level_id": str(level_id), "organisation": "威海市环翠区人社局"}).status_code == 302
    with app.app_context():
        (row,) = _authorities()
        assert row.status == "pending" and _audits("final_authority.apply_recognition") == 1
        row_id, unit_id = row.id, row.unit_id
    page = unit.get("/units/final-authority/").get_data(as_text=True)
    # waiting for one level: the other levels may still be applied for (new-user issue item 15)
    assert 'href="/units/final-authority/apply/recognition"' in page
    assert 'href="/units/final-authority/apply/transfer"' in page
    assert f'data-level="{level_id}"' in page.split('data-business="recognition"')[1].split("</tr>")[0]
    assert "威海市环翠区文化馆" not in _client(app, "bureau_jn").get("/units/final-authority-review/").get_data(
        as_text=True)
    assert _client(app, "bureau_jn").post(f"/units/final-authority-review/{row_id}/approve").status_code == 404
    assert unit.post(f"/units/final-authority-review/{row_id}/approve").status_code == 403
    bureau = _client(app, "demo_bureau")
    assert "威海市环翠区文化馆" in bureau.get("/units/final-authority-review/").get_data(as_text=True)
    assert bureau.post(f"/units/final-authority-review/{row_id}/approve").status_code == 302
    with app.app_context():
        assert has_final_authority(unit_id, "recognition") and not has_final_authority(unit_id, "transfer")
    page = unit.get("/units/final-authority/").get_data(as_text=True)
    assert "审核通过" in page.split('data-business="recognition"')[1].split("</tr>")[0]
    html = unit.post("/units/final-authority/apply/recognition",
                     data={"level_id": str(level_id), "organisation": "再次"}).get_data(as_text=True)
    assert "已获得该权限" in html
    with app.app_context():
        assert len(_authorities()) == 1


def test_a_rejected_final_authority_shows_the_reason_and_can_be_applied_again(app, unit):
    with app.app_context():
        level_id = _ids()[1]
    unit.post("/units/final-authority/apply/transfer", data={"level_id": str(level_id), "organisation": "机构"})
    with app.app_context():
        row_id = _authorities()[0].id
    bureau = _client(app, "demo_bureau")
    bureau.post(f"/units/final-authority-review/{row_id}/reject", data={"reason": ""})
    with app.app_context():
        assert _authorities()[0].status == "pending"
    bureau.post(f"/units/final-authority-review/{row_id}/reject", data={"reason": "所属机构不符"})
    page = unit.get("/units/final-authority/").get_data(as_text=True)
    assert "所属机构不符" in page and 'href="/units/final-authority/apply/transfer"' in page
    assert unit.post("/units/final-authority/apply/transfer",
                     data={"level_id": str(level_id), "organisation": "机构二"}).status_code == 302
    with app.app_context():
        assert [a.status for a in _authorities()] == ["rejected", "pending"]


@pytest.mark.parametrize("username, shown, hidden", [
    ("demo_unit", {"/units/permission/", "/units/paths/?kind=unit", "/units/paths/?kind=committee",
                   "/units/path-review/", "/units/final-authority/"},
     {"/units/permission-review/", "/units/registry/", "/units/final-authority-review/"}),
    ("demo_bureau", {"/units/permission-review/", "/units/registry/", "/units/final-authority-review/"},
     {"/units/permission/", "/units/path-review/", "/units/final-authority/"}),
    ("demo_committee", {"/units/path-review/"}, {"/units/permission/", "/units/permission-review/"}),
    ("demo_person", set(), {"/units/permission/", "/units/path-review/", "/units/permission-review/"}),
])
def test_each_role_sees_its_unit_menus(app, demo, username, shown, hidden):
    html = _client(app, username).get("/").get_data(as_text=True).replace("&amp;", "&")
    for link in shown:
        assert f'href="{link}"' in html, link
    for link in hidden:
        assert f'href="{link}"' not in html, link

"""The unit chain end to end: the whole chain through the pages, as the users do it.

Review business: the applicant submits to demo_unit; demo_unit passes and reports along its unit path to
demo_superior (approved by demo_superior); demo_superior returns it to demo_unit, which returns it to the
applicant; only the rejected section can be changed; after resubmission it goes up again and demo_superior
reports it along its committee path (approved by demo_committee) to the committee.
Recognition business: up the chain to demo_superior, which holds the final-review authority (approved by
demo_bureau) and gives 终审通过; then the applicant may download the 认定表."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from app.demo import DEMO_COMMITTEE as DEMO_COMMITTEE_NAME
from app.extensions import db
from app.models.applications import Application, ApplicationEvent, ApplicationSection
from app.models.audit import AuditLog
from app.models.catalog import Committee
from app.models.notify import Notification
from app.models.units import FinalAuthorityApplication, ReportingPath, Unit
from app.workflow import sections
from tests.conftest import csrf_token, login
from tests.factories import make_application, require_only

SUMMARY = "自参加工作以来，长期从事群众文化工作，组织基层文艺活动百余场，辅导业余团队十余支。"
SUMMARY_2 = SUMMARY + "任现职以来主持全区广场舞大赛三届，获市级优秀组织奖。"


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def _unit(name) -> Unit:
    return db.session.execute(select(Unit).filter_by(name=name)).scalar_one()


def _state(app, application_id):
    with app.app_context():
        application = db.session.get(Application, application_id)
        return application.status, application.current_unit.name if application.current_unit else None


def _actions(app, application_id):
    with app.app_context():
        return list(db.session.execute(select(ApplicationEvent.action).filter_by(application_id=application_id)
                                       .order_by(ApplicationEvent.id)).scalars())


def _messages(app, username) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(Notification.title).filter_by(user_id=_user(app, username).id)
                                       .order_by(Notification.id)).scalars())


def _post(client, url, data):
    return client.post(url, data=data)


def _decide(client, application_id, action, **fields):
    data = {"action": action}
    data.update(fields)
    return client.post(f"/review/{application_id}/decide", data=data)


def _report(client, *ids):
    """数据上报 then 确定 on the confirmation page (the first answer when there is none, e.g. a refusal)."""
    data = {"ids": [str(i) for i in ids]}
    first = client.post("/report/report", data=data)
    found = re.search(r'name="plan" value="([^"]*)"', first.get_data(as_text=True))
    if first.status_code != 200 or found is None:
        return first
    return client.post("/report/report", data=dict(data, confirm="1", plan=html.unescape(found.group(1))))


def _approve_unit_path(app, unit_client, superior_client, business_set, application_id) -> None:
    """单位路径申请 by demo_unit, approved (生效) by demo_superior on its 单位路径审核 page."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        data = {"business_set": business_set, "series_id": application.series_id, "level_id": application.level_id,
                "target_unit_id": _unit("威海市环翠区文化和旅游局").id}
    assert _post(unit_client, "/units/paths/new/unit", data).status_code == 302
    with app.app_context():
        path_id = db.session.execute(select(ReportingPath.id).filter_by(business_set=business_set,
                                                                        status="pending")).scalar_one()
    assert _post(superior_client, f"/units/path-review/{path_id}/approve", {}).status_code == 302
    with app.app_context():
        assert db.session.get(ReportingPath, path_id).status == "effective"


@pytest.fixture
def world(app, clock, demo):
    with app.app_context():
        require_only("review", "work_summary")
        require_only("recognition")
        committee = db.session.execute(select(Committee).filter_by(name=DEMO_COMMITTEE_NAME)).scalar_one()
        application = make_application(_user(app, "demo_person"), unit=_unit("威海市环翠区文化馆"),
                                       committee_id=committee.id)
        db.session.commit()
        return {"application": application.id, "committee": committee.id}


def _save_summary(app, application_id, text):
    from app.commands.applications.sections import SaveTextCommand

    with app.app_context():
        SaveTextCommand(_user(app, "demo_person"), application_id, "work_summary", text).run()


def _submitted(app, person, application_id) -> None:
    """demo_person fills 工作成绩及表现 and presses 确认申报: 待单位审核 at demo_unit."""
    _save_summary(app, application_id, SUMMARY)
    assert person.post(f"/applications/{application_id}/submit").status_code == 302


def test_review_application_up_the_chain_with_returns_to_the_committee(app, world):
    application_id = world["application"]
    person, unit = _client(app, "demo_person"), _client(app, "demo_unit")
    superior, committee = _client(app, "demo_superior"), _client(app, "demo_committee")

    # the paths: demo_unit → demo_superior (unit path), demo_superior → the committee (committee path)
    _approve_unit_path(app, unit, superior, "review", application_id)
    assert _post(superior, "/units/paths/new/committee",
                 {"business_set": "review", "committee_id": world["committee"]}).status_code == 302
    with app.app_context():
        committee_path = db.session.execute(select(ReportingPath.id).filter_by(status="pending")).scalar_one()
    assert _post(committee, f"/units/path-review/{committee_path}/approve", {}).status_code == 302

    # 确认申报 → demo_unit's queue
    _save_summary(app, application_id, SUMMARY)
    told = len(_messages(app, "demo_unit"))
    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化馆")
    assert len(_messages(app, "demo_unit")) == told + 1, "the unit is told"
    assert str(application_id) in unit.get("/review/").get_data(as_text=True)

    # demo_unit: 通过, then 数据上报 → demo_superior's queue
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _state(app, application_id) == ("passed_unit", "威海市环翠区文化馆")
    told = len(_messages(app, "demo_superior"))
    assert _report(unit, application_id).status_code == 302
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化和旅游局")
    assert len(_messages(app, "demo_superior")) == told + 1, "the superior unit is told"

    # demo_superior: 退回 with 工作成绩及表现 不通过 → back to demo_unit, with the mark shown there
    page = superior.get(f"/review/{application_id}").get_data(as_text=True)
    assert "退回至：威海市环翠区文化馆" in page
    assert _decide(superior, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="业绩描述缺少任现职以来的内容").status_code == 302
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化馆")
    assert _messages(app, "demo_unit")[-1] == "有职称申报被上级单位退回"
    page = unit.get(f"/review/{application_id}").get_data(as_text=True)
    assert "业绩描述缺少任现职以来的内容" in page and "退回至：申报人" in page
    # demo_superior no longer holds it: a forged decision is refused, but it still sees it (it passed there)
    _decide(superior, application_id, "pass")
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化馆")
    assert superior.get(f"/applications/{application_id}/forms/review_form").status_code == 200

    # demo_unit: 退回 to the applicant, keeping the superior's reason
    assert _decide(unit, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="业绩描述缺少任现职以来的内容", opinion="请补充").status_code == 302
    assert _state(app, application_id) == ("returned", "威海市环翠区文化馆")
    with app.app_context():
        assert set(sections.editable_sections(db.session.get(Application, application_id))) == {"work_summary"}
    from app.commands.applications.sections import SaveEntryCommand
    from app.commands.errors import NotAllowed

    with app.app_context(), pytest.raises(NotAllowed):  # a section that passed stays locked
        SaveEntryCommand(_user(app, "demo_person"), application_id, "education", {"school": "山东大学"}).run()
    _save_summary(app, application_id, SUMMARY_2)
    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化馆")

    # up again: demo_unit → demo_superior → the committee
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    assert _decide(superior, application_id, "pass").status_code == 302
    assert _report(superior, application_id).status_code == 302
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert (application.status, application.committee_id) == ("pending_committee", world["committee"])
        rows = db.session.execute(select(ApplicationSection).filter_by(application_id=application_id,
                                                                       status="rejected")).scalars().all()
        assert rows == []
    assert _actions(app, application_id) == [
        "submit", "pass", "report", "return_to_unit", "return", "resubmit", "pass", "report", "pass",
        "report_to_committee"]
    # both units list it under 已上报 and may open its forms; the committee sees it too
    from app.daos.applications import reported_by

    with app.app_context():
        for name in ("威海市环翠区文化馆", "威海市环翠区文化和旅游局"):
            assert application_id in db.session.execute(
                reported_by(_unit(name).id).with_only_columns(Application.id)).scalars().all()
    for client in (unit, superior, committee):
        assert client.get(f"/applications/{application_id}/forms/review_form").status_code == 200
    # every step is audited and told to the applicant
    with app.app_context():
        audited = db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.object_type == "application", AuditLog.object_id == str(application_id),
            AuditLog.action.like("application.%"))).scalar_one()
        assert audited == 10
    assert len(_messages(app, "demo_person")) == 8  # every step after its own submissions (S2)
    assert _messages(app, "demo_committee"), "the committee is told"


def test_recognition_ends_with_the_final_review(app, world):
    person, unit = _client(app, "demo_person"), _client(app, "demo_unit")
    superior, bureau = _client(app, "demo_superior"), _client(app, "demo_bureau")
    with app.app_context():
        application = make_application(_user(app, "demo_person"), unit=_unit("威海市环翠区文化馆"),
                                       business="recognition", committee_id=None)
        db.session.commit()
        application_id, level_id = application.id, application.level_id
    _approve_unit_path(app, unit, superior, "recognition", application_id)
    # demo_superior applies for the final-review authority; demo_bureau (威海市) approves it
    assert _post(superior, "/units/final-authority/apply/recognition",
                 {"level_id": level_id, "organisation": "威海市环翠区文化和旅游局"}).status_code == 302
    with app.app_context():
        authority_id = db.session.execute(select(FinalAuthorityApplication.id)).scalar_one()
    assert _post(bureau, f"/units/final-authority-review/{authority_id}/approve", {}).status_code == 302

    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    # demo_unit has no authority: 终审通过 is not offered and a forged one is refused
    page = unit.get(f"/review/{application_id}").get_data(as_text=True)
    assert 'id="final-pass"' not in page and 'id="pass"' in page
    html = _decide(unit, application_id, "final_pass").get_data(as_text=True)
    assert "本单位没有该业务的终审权限" in html
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化馆")
    # the applicant downloads the 认定表 once submitted (seed 001), marked not final (new-applicant item 9)
    assert person.get(f"/applications/{application_id}/forms/recognition_form.pdf").status_code == 200
    assert 'id="form-provisional"' in person.get(f"/applications/{application_id}/forms/recognition_form").get_data(
        as_text=True)
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    page = superior.get(f"/review/{application_id}").get_data(as_text=True)
    assert 'id="final-pass"' in page and 'id="pass"' not in page
    assert _decide(superior, application_id, "final_pass", opinion="同意认定").status_code == 302
    assert _state(app, application_id)[0] == "final_passed"
    assert _actions(app, application_id) == ["submit", "pass", "report", "final_pass"]
    assert _messages(app, "demo_person")[-1] == "您的申报已终审通过"
    response = person.get(f"/applications/{application_id}/forms/recognition_form.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert 'id="form-provisional"' not in person.get(f"/applications/{application_id}/forms/recognition_form"
                                                     ).get_data(as_text=True)


def test_blacklist_from_the_review_page(app, world, clock):
    application_id = world["application"]
    person, unit = _client(app, "demo_person"), _client(app, "demo_unit")
    _submitted(app, person, application_id)
    today = clock().date()
    # a reason is required and the date must lie ahead: the page says so at the field, nothing changes
    html = _decide(unit, application_id, "blacklist", until=today.isoformat(), blacklist_reason="").get_data(
        as_text=True)
    assert 'id="error-until"' in html and "黑名单截止日期必须晚于今天" in html
    html = _decide(unit, application_id, "blacklist", until=today.replace(year=today.year + 1).isoformat(),
                   blacklist_reason="").get_data(as_text=True)
    assert 'id="error-blacklist_reason"' in html
    html = _decide(unit, application_id, "blacklist", until=today.replace(year=today.year + 9).isoformat(),
                   blacklist_reason="提供虚假材料").get_data(as_text=True)
    assert "黑名单期限最长 5 年" in html
    assert _state(app, application_id)[0] == "pending_unit"
    until = today.replace(year=today.year + 1)
    assert _decide(unit, application_id, "blacklist", until=until.isoformat(),
                   blacklist_reason="提供虚假材料").status_code == 302
    assert _state(app, application_id)[0] == "blacklisted"
    assert _messages(app, "demo_person")[-1] == "您已被加入黑名单"
    # the applicant cannot start another application within the period
    from app.commands.applications.create import blacklisted_until

    with app.app_context():
        person_id = db.session.get(Application, application_id).person_id
        assert blacklisted_until(person_id, today) == until
    with app.app_context():
        other = make_application(_user(app, "demo_person"), unit=_unit("威海市环翠区文化馆"),
                                 committee_id=world["committee"])
        db.session.commit()
        other_id = other.id
    _save_summary(app, other_id, SUMMARY)
    html = person.post(f"/applications/{other_id}/submit", follow_redirects=True).get_data(as_text=True)
    assert until.isoformat() in html
    assert _state(app, other_id)[0] == "draft"


def test_passed_not_reported_may_still_be_returned(app, world):
    """R4: 通过未上报 shows 退回 only, and the return reaches the applicant."""
    application_id = world["application"]
    person, unit = _client(app, "demo_person"), _client(app, "demo_unit")
    _submitted(app, person, application_id)
    assert _decide(unit, application_id, "pass").status_code == 302
    page = unit.get(f"/review/{application_id}").get_data(as_text=True)
    assert 'id="return"' in page and 'id="pass"' not in page and 'id="blacklist-submit"' not in page
    assert _decide(unit, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="需补充").status_code == 302
    assert _state(app, application_id)[0] == "returned"


def test_csrf_is_required_on_the_review_decision(app, world):
    application_id = world["application"]
    person, unit = _client(app, "demo_person"), _client(app, "demo_unit")
    _submitted(app, person, application_id)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = csrf_token(unit.get(f"/review/{application_id}").get_data(as_text=True))
        assert _decide(unit, application_id, "pass").status_code == 400
        assert _state(app, application_id)[0] == "pending_unit"
        assert _decide(unit, application_id, "pass", csrf_token=token).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _state(app, application_id)[0] == "passed_unit"


def test_who_sees_an_application_on_its_way(app, world):
    """Item 8: the units it passed through and the bureau of its region see it; another unit and another
    region's bureau get a 404, whatever the route."""
    from tests.factories import make_backend, make_unit_account

    application_id = world["application"]
    person, unit = _client(app, "demo_person"), _client(app, "demo_unit")
    superior = _client(app, "demo_superior")
    with app.app_context():
        make_unit_account("outsider", "威海市环翠区另一文化站")
        make_backend("nanjing_bureau", "Bureau", region_code="320100")
        db.session.commit()
    outsider, nanjing, bureau = (_client(app, n) for n in ("outsider", "nanjing_bureau", "demo_bureau"))
    url = f"/applications/{application_id}/forms/review_form"
    _submitted(app, person, application_id)
    assert superior.get(url).status_code == 404  # not on its way yet
    _approve_unit_path(app, unit, superior, "review", application_id)
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    assert _decide(superior, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="需补充").status_code == 302
    # back at demo_unit: demo_superior still sees it (it passed through), but cannot act on it
    assert superior.get(url).status_code == 200
    page = superior.get(f"/review/{application_id}").get_data(as_text=True)  # read-only there
    assert 'id="review-form"' in page and 'id="return"' not in page and 'name="verdict_work_summary"' not in page
    for client in (unit, bureau):
        assert client.get(url).status_code == 200
    for client in (outsider, nanjing):
        assert client.get(url).status_code == 404
        assert client.get(f"/review/{application_id}").status_code in (302, 403, 404)
    assert _decide(outsider, application_id, "pass").status_code in (302, 403, 404)
    assert _report(outsider, application_id).status_code in (200, 302)
    assert _state(app, application_id) == ("pending_unit", "威海市环翠区文化馆")

"""P7–P9, P12: 确认申报 with its section check, the lock after it, the timeline (状态跟踪), a return
with sections marked 不通过 (ReturnCommand) and the resubmission."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.commands.errors import CommandError, NotAllowed
from app.commands.review.return_ import ReturnCommand
from app.extensions import db
from app.models.applications import Application, ApplicationEvent, ApplicationSection, Blacklist
from app.models.audit import AuditLog
from app.models.notify import Notification
from app.models.units import Unit
from app.workflow import sections
from tests.factories import make_application, make_unit_account, require_only

SUMMARY = "自参加工作以来，长期从事群众文化工作，组织基层文艺活动百余场，辅导业余团队十余支。"


@pytest.fixture
def person(app, clock, login_as):
    return login_as("demo_person")


def _user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def _demo_unit():
    return db.session.execute(select(Unit).filter_by(name="威海市环翠区文化馆")).scalar_one()


def _draft(app) -> int:
    with app.app_context():
        return make_application(_user(app, "demo_person"), unit=_demo_unit()).id


def _only_work_summary_required(app) -> None:
    """The review business asks only for 工作成绩及表现 (a text section), so one save completes it."""
    with app.app_context():
        require_only("review", "work_summary")


def _fill_work_summary(app, application_id: int) -> None:
    """The applicant saves 工作成绩及表现 through the sections module's own command."""
    from app.commands.applications.sections import SaveTextCommand

    with app.app_context():
        SaveTextCommand(_user(app, "demo_person"), application_id, "work_summary", SUMMARY).run()


def _submittable(app) -> int:
    _only_work_summary_required(app)
    application_id = _draft(app)
    _fill_work_summary(app, application_id)
    return application_id


def _application(app, application_id) -> Application:
    with app.app_context():
        application = db.session.get(Application, application_id)
        db.session.expunge(application)
        return application


def _events(app, application_id):
    with app.app_context():
        return [(e.action, e.from_status, e.to_status) for e in db.session.execute(
            select(ApplicationEvent).filter_by(application_id=application_id).order_by(ApplicationEvent.id)
        ).scalars()]


def _editable(app, application_id) -> set[str]:
    with app.app_context():
        return set(sections.editable_sections(db.session.get(Application, application_id)))


# ---- 确认申报 ----------------------------------------------------------------------------------

def test_submit_with_missing_sections_lists_them(app, person):
    application_id = _draft(app)
    response = person.post(f"/applications/{application_id}/submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="missing-sections"' in html
    with app.app_context():
        application = db.session.get(Application, application_id)
        missing = sections.missing_sections(application)
        required = [row for row in sections.configured_sections("review", application.committee_id,
                                                                  application.year) if row.required]
    assert missing and len(missing) == len(required)
    for label, reason in missing:
        assert f"<strong>{label}</strong>" in html and str(reason) in html
    assert _application(app, application_id).status == "draft"
    assert _events(app, application_id) == []


def test_submit_sends_it_to_the_unit_and_locks_it(app, person, clock):
    application_id = _submittable(app)
    response = person.post(f"/applications/{application_id}/submit")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/applications/{application_id}/timeline")
    application = _application(app, application_id)
    assert application.status == "pending_unit" and application.submitted_at == clock.now
    assert application.current_unit_id == application.unit_id
    assert _events(app, application_id) == [("submit", "draft", "pending_unit")]
    with app.app_context():
        unit_user = _user(app, "demo_unit")
        assert db.session.execute(select(Notification).filter_by(user_id=unit_user.id)).scalars().all()
        assert db.session.execute(select(AuditLog).filter_by(action="application.submit")).scalar_one()
    html = person.get(f"/applications/{application_id}/timeline").get_data(as_text=True)
    assert "待单位审核" in html and "草稿" in html and "张晓燕" in html and "2026-11-22 10:00" in html
    # locked: no section, no base form, no second submit, no cancel
    assert _editable(app, application_id) == set()
    assert person.get(f"/applications/{application_id}/edit").status_code == 302
    html = person.post(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert "不能重复提交" in html
    response = person.post(f"/applications/{application_id}/cancel", follow_redirects=True)
    assert "只有草稿可以取消申请" in response.get_data(as_text=True)
    assert _application(app, application_id).status == "pending_unit"
    assert len(_events(app, application_id)) == 1
    show = person.get(f"/applications/{application_id}").get_data(as_text=True)
    assert 'id="submit"' not in show and "cancel-form" not in show and "待单位审核" in show


def test_blacklisted_person_cannot_submit(app, person, clock):
    application_id = _submittable(app)
    with app.app_context():
        application = db.session.get(Application, application_id)
        db.session.add(Blacklist(person_id=application.person_id, until=dt.date(2027, 1, 31), reason="材料造假",
                                 created_at=clock.now))
        db.session.commit()
    html = person.post(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert "2027-01-31" in html
    assert _application(app, application_id).status == "draft"


# ---- 退回 (P9) and resubmission ----------------------------------------------------------------

def _submitted(app, person) -> int:
    application_id = _submittable(app)
    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    return application_id


def test_return_reopens_only_the_rejected_sections_and_resubmit_works(app, person, clock):
    application_id = _submitted(app, person)
    with app.app_context():
        ReturnCommand(_user(app, "demo_unit"), application_id,
                                 {"work_summary": "未写明任现职以来的业绩", "education": ""},
                                 opinion="请补充业绩").run()
    application = _application(app, application_id)
    assert application.status == "returned"
    assert _events(app, application_id)[-1] == ("return", "pending_unit", "returned")
    assert _editable(app, application_id) == {"work_summary"}
    from app.commands.applications.sections import SaveEntryCommand

    with app.app_context(), pytest.raises(NotAllowed):  # a section that passed stays locked
        SaveEntryCommand(_user(app, "demo_person"), application_id, "education", {"school": "山东大学"}).run()
    with app.app_context():
        row = db.session.execute(select(ApplicationSection).filter_by(application_id=application_id,
                                                                      section="work_summary")).scalar_one()
        assert (row.status, row.reason) == ("rejected", "未写明任现职以来的业绩")
        person_user = _user(app, "demo_person")
        assert db.session.execute(select(Notification).filter_by(user_id=person_user.id)).scalars().all()
    show = person.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "未写明任现职以来的业绩" in show and "section-rejected" in show and "已退回" in show
    assert 'id="edit-base"' not in show
    timeline = person.get(f"/applications/{application_id}/timeline").get_data(as_text=True)
    assert "请补充业绩" in timeline and "威海市环翠区文化馆" in timeline
    # not changed yet: 确认申报 names the section still marked 不通过
    html = person.post(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert 'id="missing-sections"' in html and "未写明任现职以来的业绩" in html
    assert _application(app, application_id).status == "returned"
    # the applicant saves the section again, then resubmits
    _fill_work_summary(app, application_id)
    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    application = _application(app, application_id)
    assert application.status == "pending_unit" and application.current_unit_id == application.unit_id
    assert [e[0] for e in _events(app, application_id)] == ["submit", "return", "resubmit"]


def test_only_the_unit_holding_it_may_return_it(app, person):
    application_id = _submitted(app, person)
    with app.app_context():
        other = make_unit_account("unit2", "威海市另一单位")
        with pytest.raises(NotAllowed):
            ReturnCommand(other, application_id, {"work_summary": "伪造"}).run()
        with pytest.raises(NotAllowed):
            ReturnCommand(_user(app, "demo_superior"), application_id, {"work_summary": "伪造"}).run()
        with pytest.raises(NotAllowed):  # an applicant is no unit
            ReturnCommand(_user(app, "demo_person"), application_id, {"work_summary": "伪造"}).run()
        unit = _user(app, "demo_unit")
        with pytest.raises(CommandError) as err:
            ReturnCommand(unit, application_id, {"work_summary": "  "}).run()
        assert err.value.field == "sections"
        with pytest.raises(CommandError):
            ReturnCommand(unit, application_id, {"no_such_section": "原因"}).run()
    assert _application(app, application_id).status == "pending_unit"
    with app.app_context():
        assert db.session.execute(select(ApplicationSection.status).filter_by(
            application_id=application_id, section="work_summary")).scalar_one() == "filled"


def test_a_draft_cannot_be_returned(app, person):
    application_id = _submittable(app)
    with app.app_context():
        with pytest.raises(NotAllowed):
            ReturnCommand(_user(app, "demo_unit"), application_id, {"work_summary": "x"}).run()


def test_submit_refused_when_the_committee_period_has_closed(app, person, clock):
    application_id = _submittable(app)
    clock.advance(days=60)  # the demo period ends 45 days after loading
    from tests.conftest import login

    login(person, "demo_person")
    html = person.post(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert "申报期已于" in html and "截止" in html  # the message names the closed period (app/commands/deadlines/periods.py)
    assert _application(app, application_id).status == "draft"


def test_overview_shows_each_section_with_its_state_and_link(app, person):
    application_id = _submittable(app)
    html = person.get(f"/applications/{application_id}").get_data(as_text=True)
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        states = [(s.code, str(s.label)) for s in sections.section_states(application)]
    assert states
    for code, label in states:
        assert f'data-code="{code}"' in html and label in html
        assert f"/applications/{application_id}/sections/{code}" in html
    assert 'section-filled' in html and "已填写" in html and "未填写" in html
    assert 'id="submit"' in html and "cancel-form" in html and 'id="save-draft"' in html
    assert 'id="edit-base"' in html

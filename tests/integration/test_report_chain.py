"""R3/R5 数据上报 (app/commands/review/report.py): along the unique effective path, all or nothing, from
the first unit to a superior unit and on to the committee; the report-list fields 是否委托评审/单位推荐排序."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.commands.errors import CommandError, NotAllowed
from app.commands.review.report import ReportCommand, UpdateReportFieldsCommand
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.audit import AuditLog
from app.models.catalog import Committee
from app.models.notify import Notification
from app.models.units import ReportingPath, Unit
from tests.factories import make_application, make_backend, make_person, make_unit_account, permitted_unit


def _path(unit: Unit, application: Application, *, target: Unit | None = None,
          committee: Committee | None = None) -> ReportingPath:
    path = ReportingPath(unit_id=unit.id, business_set="review", series_id=application.series_id,
                         level_id=application.level_id, target_unit_id=target.id if target else None,
                         committee_id=committee.id if committee else None, status="effective",
                         created_at=utcnow())
    db.session.add(path)
    db.session.commit()
    return path


def _committee_for(application: Application, name: str = "威海市群众文化初级评审委员会（测试）") -> Committee:
    committee = db.session.get(Committee, application.committee_id) if application.committee_id else None
    if committee is None:
        committee = Committee(name=name, series_id=application.series_id, level_id=application.level_id,
                              region_id=application.unit.region_id)
        db.session.add(committee)
        db.session.commit()
    return committee


@pytest.fixture
def chain(ctx, clock):
    unit_user = make_unit_account("unit1", "威海市环翠区测试文化馆")
    superior_user = make_unit_account("sup1", "威海市文化和旅游局（测试）", region_code="371000")
    unit, superior = permitted_unit(unit_user), permitted_unit(superior_user)
    person = make_person()
    now = utcnow()
    first = make_application(person, unit=unit, status="passed_unit", current_unit_id=unit.id, submitted_at=now)
    # one open review per person and year (uq_application_one_open_per_year): the second is of last year
    second = make_application(person, unit=unit, status="passed_unit", current_unit_id=unit.id, submitted_at=now,
                              year=now.year - 1)
    return dict(unit_user=unit_user, superior_user=superior_user, unit=unit, superior=superior, person=person,
                first=first, second=second)


def _state(*applications):
    db.session.expire_all()
    return [(a.status, a.current_unit_id, a.committee_id) for a in
            (db.session.get(Application, x.id) for x in applications)]


def _events(application_id):
    return db.session.execute(select(ApplicationEvent.action).where(
        ApplicationEvent.application_id == application_id).order_by(ApplicationEvent.id)).scalars().all()


def test_report_without_path_is_refused_with_the_missing_path(chain):
    before = _state(chain["first"])
    with pytest.raises(CommandError) as err:
        ReportCommand(chain["unit_user"], [chain["first"].id]).run()
    assert str(err.value.message) == "尚无生效的上报路径：职称评审申报 群众文化 初级，请先申请单位路径或评委会路径"
    assert _state(chain["first"]) == before
    assert _events(chain["first"].id) == []


def test_report_goes_to_the_superior_then_to_the_committee(chain):
    first, second, unit, superior = chain["first"], chain["second"], chain["unit"], chain["superior"]
    _path(unit, first, target=superior)
    ReportCommand(chain["unit_user"], [first.id, str(second.id)]).run()
    for status, current, _committee in _state(first, second):
        assert (status, current) == ("pending_unit", superior.id)
    assert _events(first.id) == ["report"]
    assert db.session.execute(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "application.report")).scalar_one() == 2
    # one message to the superior unit (with the count), one per application to the applicant
    superior_notes = db.session.execute(select(Notification).where(
        Notification.user_id == chain["superior_user"].id)).scalars().all()
    assert len(superior_notes) == 1 and "2" in superior_notes[0].body
    assert db.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == chain["person"].id)).scalar_one() == 2

    # the superior cannot report what it has not passed yet
    with pytest.raises(NotAllowed):
        ReportCommand(chain["superior_user"], [first.id]).run()
    # the lower unit no longer holds it
    with pytest.raises(NotAllowed):
        ReportCommand(chain["unit_user"], [first.id]).run()

    # the superior passes it (its own review flow) and reports it to the committee
    for application in (first, second):
        db.session.get(Application, application.id).status = "passed_unit"
    db.session.commit()
    first = db.session.get(Application, first.id)
    committee = _committee_for(first)
    committee_user = make_backend("cmt1", "Committee", committee=committee)
    _path(superior, first, committee=committee)
    ReportCommand(chain["superior_user"], [first.id]).run()
    assert _state(first) == [("pending_committee", superior.id, committee.id)]
    assert _events(first.id) == ["report", "report_to_committee"]
    assert db.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == committee_user.id)).scalar_one() == 1


def test_application_without_committee_takes_the_paths_and_a_different_one_is_refused(chain):
    first, second, unit = chain["first"], chain["second"], chain["unit"]
    committee = _committee_for(first)
    other = Committee(name="另一评审委员会（测试）", series_id=first.series_id, level_id=first.level_id,
                      region_id=unit.region_id)
    db.session.add(other)
    db.session.commit()
    _path(unit, first, committee=other)
    db.session.get(Application, first.id).committee_id = None
    db.session.get(Application, second.id).committee_id = committee.id
    db.session.commit()
    before = _state(first, second)
    with pytest.raises(CommandError) as err:
        ReportCommand(chain["unit_user"], [first.id, second.id]).run()
    assert "另一评审委员会（测试）" in str(err.value.message)
    assert _state(first, second) == before
    ReportCommand(chain["unit_user"], [first.id]).run()
    assert _state(first) == [("pending_committee", unit.id, other.id)]


def test_another_units_or_unpassed_application_refuses_the_whole_selection(chain):
    first, unit, superior = chain["first"], chain["unit"], chain["superior"]
    _path(unit, first, target=superior)
    other_user = make_unit_account("unit2", "威海市另一测试单位")
    other_unit = permitted_unit(other_user)
    foreign = make_application(chain["person"], unit=other_unit, status="passed_unit",
                               current_unit_id=other_unit.id, submitted_at=utcnow(), year=utcnow().year - 2)
    pending = make_application(chain["person"], unit=unit, status="pending_unit", current_unit_id=unit.id,
                               submitted_at=utcnow(), year=utcnow().year - 3)
    before = _state(first, foreign, pending)
    with pytest.raises(NotAllowed) as err:
        ReportCommand(chain["unit_user"], [first.id, foreign.id]).run()
    assert str(foreign.id) in str(err.value.message)
    with pytest.raises(NotAllowed) as err:
        ReportCommand(chain["unit_user"], [first.id, pending.id]).run()
    assert str(pending.id) in str(err.value.message)
    with pytest.raises(NotAllowed):
        ReportCommand(chain["unit_user"], [first.id, 999999]).run()
    with pytest.raises(NotAllowed):  # an applicant is no unit
        ReportCommand(chain["person"], [first.id]).run()
    with pytest.raises(CommandError):
        ReportCommand(chain["unit_user"], []).run()
    with pytest.raises(CommandError):
        ReportCommand(chain["unit_user"], ["1; drop"]).run()
    assert _state(first, foreign, pending) == before
    assert _events(first.id) == []
    assert db.session.execute(select(func.count()).select_from(Notification)).scalar_one() == 0


def test_report_fields_validate_the_rank_and_only_for_own_passed(chain):
    first, unit = chain["first"], chain["unit"]
    for bad in ("", "0/3", "4/3", "abc", "1/"):
        with pytest.raises(CommandError) as err:
            UpdateReportFieldsCommand(chain["unit_user"], first.id, True, bad).run()
        assert err.value.field == "recommendation_rank"
    application = db.session.get(Application, first.id)
    assert (application.entrusted, application.recommendation_rank) == (False, "1/3")
    UpdateReportFieldsCommand(chain["unit_user"], first.id, True, " 2 / 5 ").run()
    db.session.expire_all()
    application = db.session.get(Application, first.id)
    assert (application.entrusted, application.recommendation_rank) == (True, "2/5")
    assert db.session.execute(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "application.report_fields")).scalar_one() == 1
    with pytest.raises(NotAllowed):  # not this unit's
        UpdateReportFieldsCommand(chain["superior_user"], first.id, False, "1/1").run()
    application.status = "pending_unit"
    db.session.commit()
    with pytest.raises(NotAllowed):  # not passed
        UpdateReportFieldsCommand(chain["unit_user"], first.id, False, "1/1").run()

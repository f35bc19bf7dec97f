"""The rules of each section (P4–P6, seed 003), checked by the section commands (a Chinese message at the
field, nothing saved) and by missing_sections (whole-section rules before 确认申报)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.commands.applications.sections import DeleteEntryCommand, SaveEntryCommand, SaveTextCommand
from app.commands.errors import CommandError, NotAllowed, StaleError
from app.extensions import db
from app.models.applications import ApplicationSection, BusinessSection, SectionEntry
from app.models.audit import AuditLog
from app.workflow import sections
from tests.factories import make_application, make_person


@pytest.fixture
def setup(app, ctx, clock):
    user = make_person()
    application = make_application(user)
    return user, application


def _save(user, application, code, data, entry_id=None):
    return SaveEntryCommand(user, application.id, code, data, entry_id=entry_id).run()


def _error(user, application, code, data, entry_id=None) -> CommandError:
    with pytest.raises(CommandError) as info:
        _save(user, application, code, data, entry_id)
    return info.value


def _count(application, code):
    return db.session.execute(select(func.count(SectionEntry.id)).where(
        SectionEntry.application_id == application.id, SectionEntry.section == code)).scalar()


EDU = {"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "山东大学", "major": "音乐学",
       "graduated_on": "2010-07-01", "schooling": "4年", "foreign": "", "chsi_code": "A1B2C3D4E5F6G7H8"}


def _message(err: CommandError, field: str) -> str:
    return dict(err.details).get(field) or (str(err.message) if err.field == field else "")


# --- 学历信息 ---------------------------------------------------------------------------------------------

def test_education_domestic_after_2001_needs_chsi_code(setup):
    user, application = setup
    err = _error(user, application, "education", {**EDU, "chsi_code": ""})
    assert "学信网" in _message(err, "chsi_code")
    assert _count(application, "education") == 0
    err = _error(user, application, "education", {**EDU, "chsi_code": "", "graduated_on": "2002-01-01"})
    assert _message(err, "chsi_code")


def test_education_code_not_needed_before_2002_or_abroad(setup):
    user, application = setup
    _save(user, application, "education", {**EDU, "chsi_code": "", "graduated_on": "2001-12-31"})
    _save(user, application, "education", {**EDU, "chsi_code": "", "foreign": "1"})
    assert _count(application, "education") == 2
    stored = db.session.execute(select(SectionEntry).where(SectionEntry.section == "education")
                                .order_by(SectionEntry.id)).scalars().all()
    assert stored[1].data["foreign"] is True and stored[0].data["foreign"] is False


def test_education_required_fields_and_bad_values(setup):
    user, application = setup
    err = _error(user, application, "education", {**EDU, "school": "", "degree": "学霸", "graduated_on": "2010-13-01"})
    details = dict(err.details)
    assert details["school"] == "此项为必填项"
    assert "degree" in details and "graduated_on" in details


def test_future_date_refused(setup):
    user, application = setup
    err = _error(user, application, "education", {**EDU, "graduated_on": "2099-01-01"})
    assert _message(err, "graduated_on")


# --- 工作经历 ---------------------------------------------------------------------------------------------

def _job(start, end, unit="威海市群众艺术馆-创作部-助理馆员"):
    return {"started_on": start, "ended_on": end, "unit": unit, "professional_work": "群众文化辅导", "post": "无"}


def _work_problems(application):
    return [reason for label, reason in sections.missing_sections(application) if label == "工作经历"]


def test_work_experience_continuous_is_fine(setup):
    user, application = setup
    _save(user, application, "work_experience", _job("2015-07-01", "2018-06-30"))
    _save(user, application, "work_experience", _job("2018-07-01", "2020-12-31"))
    _save(user, application, "work_experience", _job("2020-12-15", ""))  # same month: continuous
    assert _work_problems(application) == []


def test_work_experience_gap_and_overlap_block_submission(setup):
    user, application = setup
    _save(user, application, "work_experience", _job("2015-07-01", "2018-06-30"))
    _save(user, application, "work_experience", _job("2018-09-01", "2019-12-31"))
    problems = _work_problems(application)
    assert len(problems) == 1 and "连续" in problems[0]
    _save(user, application, "work_experience", _job("2019-06-01", ""))
    problems = _work_problems(application)
    assert any("重叠" in p for p in problems)


def test_work_experience_end_before_start_and_one_open_end(setup):
    user, application = setup
    err = _error(user, application, "work_experience", _job("2018-07-01", "2018-01-01"))
    assert _message(err, "ended_on")
    _save(user, application, "work_experience", _job("2018-07-01", ""))
    err = _error(user, application, "work_experience", _job("2015-07-01", ""))
    assert "至今" in _message(err, "ended_on")


def test_open_ended_job_must_be_the_latest(setup):
    user, application = setup
    entry = _save(user, application, "work_experience", _job("2015-07-01", "2018-06-30"))
    _save(user, application, "work_experience", _job("2018-07-01", "2020-06-30"))
    # editing the first into an open-ended one: it is not the latest
    _save(user, application, "work_experience", _job("2015-07-01", ""), entry_id=entry.id)
    assert any("至今" in p for p in _work_problems(application))


# --- 代表性成果 ---------------------------------------------------------------------------------------------

ACH = {"name": "群众文化活动组织研究", "category": "论文/著作", "date": "2020-05-01", "rank": "1/3",
       "note": "山东省文化和旅游厅", "grade": "省部级"}


@pytest.mark.parametrize("rank", ["0/3", "4/3", "1-3", "a/b", "1/0", ""])
def test_achievement_rank_refused(setup, rank):
    user, application = setup
    err = _error(user, application, "achievements", {**ACH, "rank": rank})
    assert _message(err, "rank")


def test_achievements_at_most_15(setup):
    user, application = setup
    for i in range(15):
        _save(user, application, "achievements", {**ACH, "name": f"成果{i}"})
    err = _error(user, application, "achievements", ACH)
    assert "15" in str(err.message)
    assert _count(application, "achievements") == 15


def test_achievements_over_limit_reported_when_limit_lowered(setup):
    user, application = setup
    for i in range(3):
        _save(user, application, "achievements", {**ACH, "name": f"成果{i}"})
    db.session.execute(update(BusinessSection).where(BusinessSection.section == "achievements")
                       .values(max_entries=2))
    db.session.commit()
    assert any(label == "代表性成果" and "2" in reason for label, reason in sections.missing_sections(application))


# --- 外语/计算机水平 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["熟练", "良好", "精通", "一般", "英语熟练", "计算机操作较好", "掌握"])
def test_vague_language_levels_refused(setup, level):
    user, application = setup
    err = _error(user, application, "language_computer", {"kind": "外语", "language": "英语", "level": level})
    assert "熟练" in _message(err, "level")


@pytest.mark.parametrize("level", ["CET-4", "全国职称外语等级考试B级", "全国专业技术人员计算机应用能力考试（5个模块）", "无"])
def test_concrete_language_levels_accepted(setup, level):
    user, application = setup
    _save(user, application, "language_computer", {"kind": "外语", "language": "英语", "level": level})


# --- 工作成绩及表现 -----------------------------------------------------------------------------------------

def test_work_summary_limits(setup):
    user, application = setup
    with pytest.raises(CommandError) as info:
        SaveTextCommand(user, application.id, "work_summary", "字" * 1201, version=1).run()
    assert info.value.field == "text" and "1200" in str(info.value.message)
    SaveTextCommand(user, application.id, "work_summary", "字" * 1200, version=1).run()  # 3600 bytes: fine
    row = db.session.execute(select(ApplicationSection).filter_by(application_id=application.id,
                                                                  section="work_summary")).scalar_one()
    assert len(row.text) == 1200 and row.status == "filled" and row.version == 2


def test_work_summary_must_not_contain_the_name(setup):
    user, application = setup
    with pytest.raises(CommandError) as info:
        SaveTextCommand(user, application.id, "work_summary", "本人王五长期从事群众文化工作。", version=1).run()
    assert "匿名" in str(info.value.message)
    with pytest.raises(CommandError):
        SaveTextCommand(user, application.id, "work_summary", "本人王 五长期从事群众文化工作。", version=1).run()
    with pytest.raises(CommandError):
        SaveTextCommand(user, application.id, "work_summary", "   ", version=1).run()
    assert db.session.execute(select(ApplicationSection).filter_by(application_id=application.id)).first() is None


# --- 任现职以来考核情况 ---------------------------------------------------------------------------------------

def test_assessment_year_once_and_result_from_list(setup):
    user, application = setup
    row = {"year": "2021", "post": "助理馆员", "result": "合格", "assessor": "威海市群众艺术馆"}
    entry = _save(user, application, "assessment", row)
    err = _error(user, application, "assessment", {**row, "result": "优秀"})
    assert "2021" in _message(err, "year")
    err = _error(user, application, "assessment", {**row, "year": "2022", "result": "很好"})
    assert _message(err, "result")
    err = _error(user, application, "assessment", {**row, "year": "2100"})
    assert _message(err, "year")
    _save(user, application, "assessment", {**row, "result": "优秀"}, entry_id=entry.id)  # its own year: fine
    assert db.session.get(SectionEntry, entry.id).data == {**row, "year": 2021, "result": "优秀"}


# --- the other entry sections -------------------------------------------------------------------------------

def test_other_sections_lengths_and_periods(setup):
    user, application = setup
    _save(user, application, "current_title", {"level": "初级", "series": "群众文化", "title": "助理馆员",
                                               "obtained_on": "2016-09-01"})
    err = _error(user, application, "admin_post", {"post": "馆长" * 30, "unit": "x", "started_on": "2019-01-01"})
    assert "50" in _message(err, "post")
    err = _error(user, application, "continuing_education", {
        "started_on": "2021-05-01", "ended_on": "2021-04-01", "content": "培训", "organizer": "省厅", "hours": "ab"})
    assert _message(err, "ended_on") and _message(err, "hours")
    err = _error(user, application, "societies", {"name": "市音乐家协会", "post": "会员", "started_on": "2019-01-01",
                                                 "ended_on": "2018-01-01"})
    assert _message(err, "ended_on")


# --- state, version, editability --------------------------------------------------------------------------

def test_required_sections_reported_and_filled(setup):
    user, application = setup
    labels = {label for label, _reason in sections.missing_sections(application)}
    assert {"学历信息", "工作经历", "工作成绩及表现", "单位公示及结果报告证明"} <= labels
    assert "其他附件" not in labels and "学术团体及社会兼职" not in labels
    _save(user, application, "education", EDU)
    assert "学历信息" not in {label for label, _r in sections.missing_sections(application)}
    state = {s.code: s for s in sections.section_states(application)}
    assert state["education"].status == "filled" and state["education"].entry_count == 1
    assert state["work_experience"].status == "empty" and state["education"].editable


def test_stale_version_refused_and_nothing_changes(setup):
    user, application = setup
    SaveEntryCommand(user, application.id, "education", EDU, version=1).run()
    with pytest.raises(StaleError) as info:  # a second tab still holding version 1
        SaveEntryCommand(user, application.id, "education", {**EDU, "school": "另一所"}, version=1).run()
    assert "其他页面" in str(info.value.message)
    assert _count(application, "education") == 1
    SaveEntryCommand(user, application.id, "education", {**EDU, "school": "另一所"}, version=2).run()
    assert _count(application, "education") == 2


def test_saves_are_audited(setup):
    user, application = setup
    entry = _save(user, application, "education", EDU)
    DeleteEntryCommand(user, application.id, "education", entry.id).run()
    actions = db.session.execute(select(AuditLog.opinion).where(AuditLog.action == "section_saved")
                                 .order_by(AuditLog.id)).scalars().all()
    assert actions == ["education:add_entry", "education:delete_entry"]
    state = {s.code: s for s in sections.section_states(application)}
    assert state["education"].status == "empty"


def test_nothing_editable_after_submission(setup):
    user, application = setup
    application.status = "pending_unit"
    db.session.commit()
    assert sections.editable_sections(application) == set()
    with pytest.raises(NotAllowed):
        _save(user, application, "education", EDU)


def test_overrides_of_committee_and_year(setup):
    user, application = setup
    db.session.add(BusinessSection(business="review", section="societies", committee_id=application.committee_id,
                                   year=application.year, position=99, required=True, shown=False))
    db.session.add(BusinessSection(business="review", section="other_attachments", committee_id=None,
                                   year=application.year, position=-1, required=True, shown=True))
    db.session.commit()
    rows = sections.configured_sections("review", application.committee_id, application.year)
    codes = [r.section for r in rows]
    assert "societies" not in codes and codes[0] == "other_attachments" and rows[0].required
    general = [r.section for r in sections.configured_sections("review", None, application.year - 1)]
    assert "societies" in general and general[0] == "education"

"""Row access for the committee's work (SPEC §1, §7): the office sees what was reported to its own committee,
the bureau the committees of its region (read only), an expert only the meetings they were drawn for and
accepted. Commands and views load through these, so a forged id meets the same filter as the list."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.commands.errors import NotFound
from app.daos.actors import bureau_region_ids, committee_id_of, role_names
from app.daos.rows import one_row
from app.extensions import db
from app.models.applications import Application, ApplicationSection, ApplicationStep, Attachment, SectionEntry
from app.models.catalog import Committee, Specialty
from app.models.committee import Assignment, Expert, ExpertDraw, Meeting, MeetingApplication, Score
from app.models.units import Unit
from app.security import roles
from app.workflow.committee_states import OPEN_FOR_EXPERTS, SEATED, AssignmentStatus, MeetingStatus
from app.workflow.states import REPORTED_TO_COMMITTEE

NO_APPLICATION = _l("No such application among yours")
NO_MEETING = _l("No such meeting among yours")
ONLY_OFFICE = _l("Only a committee office can do this")


def office_committee(user) -> Committee:
    """The committee whose office `user` is; NotFound for any other account."""
    committee_id = committee_id_of(user)
    if committee_id is None:
        raise NotFound(ONLY_OFFICE)
    return db.session.get(Committee, committee_id)


def committee_specialties(committee: Committee) -> list[Specialty]:
    """The specialties of the committee's series (a form's choices; a series has a few dozen)."""
    return series_specialties(committee.series_id)


def series_specialties(series_id: int) -> list[Specialty]:
    """The specialties of one series, at most 200 (a filter's or a form's choices)."""
    return list(db.session.execute(select(Specialty).where(Specialty.series_id == series_id)
                                   .order_by(Specialty.id).limit(200)).scalars())


def filter_unit(unit_id: int) -> Unit | None:
    """The unit a list is filtered by, to show its name in the 呈报单位 picker (unit names are no secret: the
    units picker lists them to every signed-in account); None for an unknown id."""
    return db.session.get(Unit, unit_id)


def readable_committee_ids(user) -> Select | list[int]:
    """The committees whose lists `user` may read: the office its own, the bureau those of its region."""
    committee_id = committee_id_of(user)
    if committee_id:
        return [committee_id]
    region_ids = bureau_region_ids(user)
    return select(Committee.id).where(Committee.region_id.in_(region_ids)) if region_ids else []


def arrived(user, *, status: str | None = None, year: int | None = None, series_id: int | None = None,
            level_id: int | None = None, specialty_id: int | None = None, unit_id: int | None = None) -> Select:
    """M1: the applications reported to the committees `user` may read, filtered; the reporting unit filter
    matches any unit of the chain that reported it onward."""
    ids = readable_committee_ids(user)
    query = select(Application)
    if isinstance(ids, list) and not ids:
        return query.where(false())
    query = query.where(Application.committee_id.in_(ids))
    if status:  # one status alone, not also IN (...): with both, PostgreSQL cannot read the index in order
        query = query.where(Application.status == status if status in REPORTED_TO_COMMITTEE else false())
    else:
        query = query.where(Application.status.in_(REPORTED_TO_COMMITTEE))
    for column, value in ((Application.year, year), (Application.series_id, series_id),
                          (Application.level_id, level_id), (Application.specialty_id, specialty_id)):
        if value:
            query = query.where(column == value)
    if unit_id:
        query = query.where(Application.id.in_(select(ApplicationStep.application_id).where(
            ApplicationStep.unit_id == unit_id, ApplicationStep.outcome == "reported")))
    return query


def reporting_units(user, text: str, page: int, per_page: int) -> list:
    """The 呈报单位 filter's picker: units that reported an application to the user's committees, by name."""
    ids = arrived(user).with_only_columns(Application.id)
    query = (select(Unit.id, Unit.name).where(Unit.id.in_(select(ApplicationStep.unit_id).where(
        ApplicationStep.outcome == "reported", ApplicationStep.application_id.in_(ids)))).order_by(Unit.name, Unit.id))
    if text:
        query = query.where(Unit.name.contains(text, autoescape=True))
    return db.session.execute(query.offset((page - 1) * per_page).limit(per_page + 1)).all()


def arrived_one(user, application_id: int, *, for_update: bool = False) -> Application:
    """One application of arrived(user), or NotFound."""
    return one_row(arrived(user).where(Application.id == application_id), for_update=for_update,
                   missing=NO_APPLICATION)


def office_application(user, application_id: int, *, for_update: bool = False) -> Application:
    """An application of the signed-in office's own committee (never the bureau's read-only view)."""
    if committee_id_of(user) is None:
        raise NotFound(NO_APPLICATION)
    return arrived_one(user, application_id, for_update=for_update)


LIST_RELATIONS = ("person", "title", "level", "series", "specialty", "unit")  # what a row of the lists shows


def list_options():
    """What a row shows, joined: for one application or a meeting's few."""
    return tuple(joinedload(getattr(Application, name)) for name in LIST_RELATIONS)


def page_options():
    """What a row shows, for a page of arrived(): loaded by id for the page's rows (selectinload), so the page's
    own query reads `application` alone and walks ix_application_committee_queue in order. Joined, PostgreSQL
    guessed 2 rows for committee + status (3,999 in the bench), joined them all and sorted them: 22 ms."""
    return tuple(selectinload(getattr(Application, name)) for name in LIST_RELATIONS)


def application_parts(application: Application) -> dict:
    """What the read-only application page shows: section rows, entries and attachments by section."""
    rows = {row.section: row for row in db.session.execute(select(ApplicationSection).where(
        ApplicationSection.application_id == application.id)).scalars()}
    entries, files = defaultdict(list), defaultdict(list)
    for entry in db.session.execute(select(SectionEntry).where(SectionEntry.application_id == application.id)
                                    .order_by(SectionEntry.position, SectionEntry.id)).scalars():
        entries[entry.section].append(entry)
    for item in db.session.execute(select(Attachment).where(Attachment.application_id == application.id)
                                   .order_by(Attachment.id)).scalars():
        files[item.section].append(item)
    return {"rows": rows, "entries": entries, "files": files}


# --- the expert pool ---

def pool(user) -> Select:
    """The experts of the signed-in office's committee."""
    committee_id = committee_id_of(user)
    query = select(Expert).options(joinedload(Expert.series), joinedload(Expert.specialty),
                                   joinedload(Expert.level))
    return query.where(Expert.committee_id == committee_id) if committee_id else query.where(false())


def pool_expert(user, expert_id: int, *, for_update: bool = False) -> Expert:
    return one_row(pool(user).where(Expert.id == expert_id), for_update=for_update, of=Expert,
                   missing=_l("No such expert in your pool"))


def draw_pool(committee_id: int, series_id: int) -> list[Expert]:
    """Every expert 入库 in the committee's pool for the series: the draw's candidates before 回避."""
    return list(db.session.execute(select(Expert).where(
        Expert.committee_id == committee_id, Expert.series_id == series_id, Expert.status == "in_pool")
        .order_by(Expert.id)).scalars())


# --- meetings ---

def meetings(user) -> Select:
    committee_id = committee_id_of(user)
    query = select(Meeting)
    return query.where(Meeting.committee_id == committee_id) if committee_id else query.where(false())


def office_meeting(user, meeting_id: int, *, for_update: bool = False) -> Meeting:
    return one_row(meetings(user).where(Meeting.id == meeting_id), for_update=for_update, missing=NO_MEETING)


def preparing_meetings(user, limit: int = 100) -> list[Meeting]:
    """加入会议's choices: the signed-in office's meetings still being prepared, the latest first."""
    return list(db.session.execute(meetings(user).where(Meeting.status == MeetingStatus.PREPARING.value)
                                   .order_by(Meeting.held_on.desc()).limit(limit)).scalars())


def meeting_draws(meeting: Meeting) -> list[ExpertDraw]:
    """The draws of a meeting loaded through office_meeting(), with who drew, in the order they ran."""
    return list(db.session.execute(select(ExpertDraw).where(ExpertDraw.meeting_id == meeting.id)
                                   .options(joinedload(ExpertDraw.by)).order_by(ExpertDraw.id)).scalars())


def meeting_applications(meeting_id: int) -> list[Application]:
    return list(db.session.execute(
        select(Application).join(MeetingApplication, MeetingApplication.application_id == Application.id)
        .where(MeetingApplication.meeting_id == meeting_id).options(*list_options())
        .order_by(MeetingApplication.id)).scalars())


def assignments(meeting_id: int) -> list[Assignment]:
    return list(db.session.execute(select(Assignment).where(Assignment.meeting_id == meeting_id)
                                   .options(joinedload(Assignment.expert)).order_by(Assignment.id)).scalars())


def progress(meeting_id: int) -> dict:
    """How many seated experts there are and how many have finished (a score or a declared conflict on every
    application of the meeting) — counts only, never who scored what."""
    total_apps = db.session.execute(select(MeetingApplication.id).where(
        MeetingApplication.meeting_id == meeting_id)).all()
    seated = [a.id for a in db.session.execute(select(Assignment).where(
        Assignment.meeting_id == meeting_id, Assignment.status.in_(SEATED))).scalars()]
    done = defaultdict(int)
    for assignment_id, in db.session.execute(select(Score.assignment_id).where(
            Score.assignment_id.in_(seated) if seated else false())).all():
        done[assignment_id] += 1
    finished = sum(1 for a in seated if total_apps and done[a] >= len(total_apps))
    return {"seated": len(seated), "finished": finished, "applications": len(total_apps)}


def scores_of(meeting_id: int) -> list[Score]:
    """Every score of a meeting (the office sees them once the online review is closed)."""
    return list(db.session.execute(select(Score).join(Assignment, Assignment.id == Score.assignment_id)
                                   .where(Assignment.meeting_id == meeting_id)
                                   .options(joinedload(Score.assignment).joinedload(Assignment.expert))
                                   .order_by(Score.application_id, Score.id)).scalars())


# --- the expert's own side ---

def own_assignments(user) -> Select:
    """The signed-in expert's assignments (我的评审任务), any committee."""
    if roles.EXPERT not in role_names(user):
        return select(Assignment).where(false())
    return (select(Assignment).join(Expert, Expert.id == Assignment.expert_id)
            .where(Expert.user_id == user.id).options(joinedload(Assignment.meeting)))


def own_tasks(user, limit: int = 200) -> list[Assignment]:
    """我的评审任务: the signed-in expert's latest assignments with their meetings; [] for any other account."""
    return list(db.session.execute(own_assignments(user).order_by(Assignment.id.desc()).limit(limit)).scalars())


def own_assignment(user, meeting_id: int, *, for_update: bool = False) -> Assignment:
    """The signed-in expert's assignment to a meeting; a meeting they were not drawn for is NotFound."""
    return one_row(own_assignments(user).where(Assignment.meeting_id == meeting_id), for_update=for_update,
                   of=Assignment, missing=NO_MEETING)


def readable_by_expert(user) -> Select:
    """Ids of the applications the expert may read: those of the meetings open to experts where the expert
    sits and accepted the discipline pledge."""
    return (select(MeetingApplication.application_id)
            .join(Assignment, Assignment.meeting_id == MeetingApplication.meeting_id)
            .join(Meeting, Meeting.id == Assignment.meeting_id)
            .join(Expert, Expert.id == Assignment.expert_id)
            .where(Expert.user_id == user.id, Assignment.status == AssignmentStatus.ACCEPTED.value,
                   Meeting.status.in_(OPEN_FOR_EXPERTS)))


def expert_application(user, meeting_id: int, application_id: int) -> tuple[Assignment, Application]:
    """An application of a meeting the expert sits in (pledge accepted), or NotFound."""
    assignment = own_assignment(user, meeting_id)
    if assignment.status != AssignmentStatus.ACCEPTED.value or assignment.meeting.status not in OPEN_FOR_EXPERTS:
        raise NotFound(NO_APPLICATION)
    application = db.session.execute(
        select(Application).join(MeetingApplication, MeetingApplication.application_id == Application.id)
        .where(MeetingApplication.meeting_id == meeting_id, Application.id == application_id)
        .options(*list_options())).scalar_one_or_none()
    if application is None:
        raise NotFound(NO_APPLICATION)
    return assignment, application


def scored_counts(assignment_ids: list[int]) -> dict[int, int]:
    """{assignment id: how many applications it scored or declared a conflict on}, in one query."""
    if not assignment_ids:
        return {}
    return dict(db.session.execute(select(Score.assignment_id, func.count(Score.id))
                                   .where(Score.assignment_id.in_(assignment_ids))
                                   .group_by(Score.assignment_id)).all())


def own_scores(assignment_id: int) -> dict[int, Score]:
    return {s.application_id: s for s in db.session.execute(
        select(Score).where(Score.assignment_id == assignment_id)).scalars()}

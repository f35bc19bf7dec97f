"""The sections of an application (P4–P6, P9) as data: what each section asks, the rules of an entry
and of a whole section, which sections a business shows and which of them the applicant may edit now.

Entries are stored as `SectionEntry.data` (a JSON dict keyed by `Field.name`); dates as "YYYY-MM-DD",
years as int, bools as true/false. Views and commands call `clean_entry` / `clean_text`; the overview
and 确认申报 call `section_states` / `missing_sections`."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field as dc_field
from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import (Application, ApplicationEvent, ApplicationSection, Attachment,
                                     BusinessSection, SectionEntry)

# --- fields and sections ------------------------------------------------------------------------------

FIELD_TYPES = ("text", "date", "year", "select", "textarea", "bool")


@dataclass(frozen=True)
class Field:
    name: str
    label: object  # a lazy string
    type: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 100
    help: object = None  # a lazy hint shown under the input


@dataclass(frozen=True)
class SectionKind:
    code: str
    label: object
    kind: str  # "entries" | "text" | "attachments"
    fields: list[Field] = dc_field(default_factory=list)
    max_length: int | None = None  # text sections: characters
    template_download: bool = False  # publicity_proof offers a template
    entry_rule: Callable | None = None  # (data, others, application) -> {field: message}
    section_rule: Callable | None = None  # (entries data list, application) -> [message]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


TEXT_MAX = 1200  # 工作成绩及表现: at most 1200 characters (seed 003 item 17)
CHSI_REQUIRED_FROM = dt.date(2002, 1, 1)  # "2001年之后取得的国内学历": graduated on or after 2002-01-01
DATE_MIN = dt.date(1930, 1, 1)

EDUCATION_LEVELS = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "技工学校", "高中",
                    "大学普通班", "党校研究生", "党校大学", "党校大专", "省业余大学", "其他")
DEGREES = ("博士", "硕士", "学士", "无")
EDUCATION_KINDS = ("全日制学历", "评审依据学历", "其他学历")
TITLE_LEVELS = ("正高级", "副高级", "中级", "初级", "员级", "其他")
ASSESSMENT_RESULTS = ("优秀", "合格", "基本合格", "不合格", "不定等次", "未考核")
LANGUAGE_KINDS = ("外语", "计算机")
ACHIEVEMENT_KINDS = ("论文/著作", "课题", "获奖", "其他")
ACHIEVEMENT_GRADES = ("国家级", "省部级", "市厅级", "县区级", "单位级", "其他")  # 等级 (seed 003 item 16 ⑤)
# 外语/计算机水平: "不得填写熟练、良好等含糊不清的词语" (seed 003 item 13). A level made only of these
# words (and filler) is refused; a certificate name that merely contains one of them is accepted.
VAGUE_LEVEL_WORDS = ("熟练", "良好", "精通", "一般", "较好", "很好", "较强", "优秀", "掌握", "熟悉", "了解",
                     "基本掌握", "初级水平", "中级水平", "高级水平", "会", "能", "懂", "可以", "较熟练",
                     "fluent", "good", "excellent", "basic")
_VAGUE_FILLER = re.compile(r"[\s,，。.、;；:：!！()（）水平程度能力使用应用操作阅读听说读写口语英语日语俄语德语法语计算机电脑办公软件和及与]+")

F = Field
SECTIONS: dict[str, SectionKind] = {}


def _section(kind: SectionKind) -> None:
    SECTIONS[kind.code] = kind


# --- entry rules (each returns {field: message}) -------------------------------------------------------

def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _months(value: dt.date) -> int:
    return value.year * 12 + value.month - 1


def _education_rule(data, others, application) -> dict:
    errors = {}
    graduated = _parse_date(data.get("graduated_on"))
    if graduated and not data.get("foreign") and graduated >= CHSI_REQUIRED_FROM and not data.get("chsi_code"):
        errors["chsi_code"] = _("A domestic degree obtained after 2001 needs the CHSI verification code")
    code = data.get("chsi_code")
    if code and not re.fullmatch(r"[A-Za-z0-9]{8,32}", code):
        errors["chsi_code"] = _("The verification code consists of 8 to 32 letters and digits")
    return errors


def _period_rule(start: str, end: str):
    def rule(data, others, application) -> dict:
        started, ended = _parse_date(data.get(start)), _parse_date(data.get(end))
        if started and ended and ended < started:
            return {end: _("The end date must not be before the start date")}
        return {}
    return rule


def _work_entry_rule(data, others, application) -> dict:
    errors = _period_rule("started_on", "ended_on")(data, others, application)
    if not data.get("ended_on") and any(not o.get("ended_on") for o in others):
        errors["ended_on"] = _("Only one job may be open-ended (until now); enter the end date of this one")
    return errors


def _work_section_rule(entries: list[dict], application) -> list[str]:
    """Work experience is continuous (seed 003 item 15): sorted by start, each job starts in the month its
    predecessor ended or the month after; only the last may be open-ended."""
    rows = [(e, _parse_date(e.get("started_on")), _parse_date(e.get("ended_on"))) for e in entries]
    rows = [r for r in rows if r[1] is not None]
    rows.sort(key=lambda r: r[1])
    problems = []
    for index, (entry, started, ended) in enumerate(rows):
        if ended is not None and ended < started:
            problems.append(_("%(unit)s: the end date is before the start date", unit=entry.get("unit", "")))
        if ended is None and index < len(rows) - 1:
            problems.append(_("Only the latest job may be open-ended (until now): %(unit)s",
                              unit=entry.get("unit", "")))
            continue
        if index == 0:
            continue
        previous, prev_start, prev_end = rows[index - 1]
        if prev_end is None:
            continue  # reported above
        gap = _months(started) - _months(prev_end)
        if gap > 1:
            problems.append(_("Work experience must be continuous: gap between %(end)s and %(start)s",
                              end=prev_end.strftime("%Y-%m"), start=started.strftime("%Y-%m")))
        elif gap < 0:
            problems.append(_("Work experience must not overlap: %(start)s is before %(end)s",
                              start=started.strftime("%Y-%m"), end=prev_end.strftime("%Y-%m")))
    return problems


def _rank_rule(name: str):
    def rule(data, others, application) -> dict:
        value = data.get(name)
        if not value:
            return {}
        match = re.fullmatch(r"(\d{1,3})/(\d{1,3})", value)
        if not match or not (1 <= int(match.group(1)) <= int(match.group(2))):
            return {name: _("Enter the rank as n/m with 1 ≤ n ≤ m, e.g. 1/3")}
        return {}
    return rule


def _assessment_rule(data, others, application) -> dict:
    year = data.get("year")
    if year and any(o.get("year") == year for o in others):
        return {"year": _("The year %(year)s is already entered", year=year)}
    return {}


def _assessment_section_rule(entries: list[dict], application) -> list[str]:
    years = [e.get("year") for e in entries if e.get("year")]
    duplicates = sorted({y for y in years if years.count(y) > 1})
    return [_("The year %(year)s is entered more than once", year=y) for y in duplicates]


def is_vague_level(value: str) -> bool:
    """True for 熟练, 良好, 英语熟练, 计算机操作较好 …: nothing left but vague words and filler."""
    text = (value or "").strip().lower()
    if not text:
        return False
    for word in sorted(VAGUE_LEVEL_WORDS, key=len, reverse=True):
        text = text.replace(word, "")
    return _VAGUE_FILLER.sub("", text) == ""


def _language_rule(data, others, application) -> dict:
    if is_vague_level(data.get("level", "")):
        return {"level": _("Enter the certificate or level obtained (e.g. CET-4, 全国职称外语等级考试B级); "
                           "vague words such as 熟练 or 良好 are not accepted; enter 无 if you have none")}
    return {}


def _hours_rule(data, others, application) -> dict:
    hours = data.get("hours")
    if hours and not re.fullmatch(r"\d{1,4}(\.\d)?", hours):
        return {"hours": _("Enter the hours as a number")}
    return {}


def _combine(*rules):
    def rule(data, others, application) -> dict:
        errors: dict = {}
        for r in rules:
            for key, message in r(data, others, application).items():
                errors.setdefault(key, message)
        return errors
    return rule


_section(SectionKind("education", _l("Education"), "entries", [
    F("kind", _l("Education type"), "select", choices=EDUCATION_KINDS),
    F("education", _l("Education level"), "select", choices=EDUCATION_LEVELS),
    F("degree", _l("Degree"), "select", choices=DEGREES),
    F("school", _l("Graduated from"), max_length=100),
    F("major", _l("Major"), max_length=100),
    F("graduated_on", _l("Graduation date"), "date"),
    F("schooling", _l("Length of schooling"), max_length=20, help=_l("e.g. 4年")),
    F("foreign", _l("Foreign degree"), "bool", required=False),
    F("chsi_code", _l("CHSI online verification code"), required=False, max_length=32,
      help=_l("Required for domestic degrees obtained after 2001 (graduation from 2002-01-01)")),
], entry_rule=_education_rule))

_section(SectionKind("current_title", _l("Current professional title"), "entries", [
    F("level", _l("Level of the title held"), "select", choices=TITLE_LEVELS),
    F("series", _l("Series of the title held"), max_length=50),
    F("title", _l("Current professional title"), max_length=50, help=_l("Enter 无 if you have none")),
    F("obtained_on", _l("Qualification date"), "date"),
    F("appointed_on", _l("Appointment date"), "date", required=False),
    F("appointment_years", _l("Appointment period"), required=False, max_length=30),
], entry_rule=_period_rule("obtained_on", "obtained_on")))

_section(SectionKind("admin_post", _l("Current administrative post"), "entries", [
    F("post", _l("Post"), max_length=50),
    F("unit", _l("Unit"), max_length=100),
    F("started_on", _l("Appointed on"), "date"),
    F("document", _l("Appointment document number"), required=False, max_length=50),
]))

_section(SectionKind("assessment", _l("Assessments since the current title"), "entries", [
    F("year", _l("Year"), "year"),
    F("post", _l("Professional post held"), max_length=50,
      help=_l("A professional title or post, not an administrative post; 无 if none")),
    F("result", _l("Assessment result"), "select", choices=ASSESSMENT_RESULTS),
    F("assessor", _l("Assessing unit"), max_length=100),
], entry_rule=_assessment_rule, section_rule=_assessment_section_rule))

_section(SectionKind("language_computer", _l("Foreign language and computer skills"), "entries", [
    F("kind", _l("Category"), "select", choices=LANGUAGE_KINDS),
    F("language", _l("Language or field"), max_length=30, help=_l("e.g. 英语, 计算机")),
    F("level", _l("Level or certificate"), max_length=100,
      help=_l("The certificate or level obtained, e.g. CET-4, 全国职称外语等级考试B级; 无 if none")),
    F("obtained_on", _l("Obtained on"), "date", required=False),
], entry_rule=_language_rule))

# year, course and hours are what the continuing-education platform exports (and the import reads);
# the dates and the organizer are kept for entries typed in by hand
_section(SectionKind("continuing_education", _l("Continuing education"), "entries", [
    F("year", _l("Year"), "year"),
    F("content", _l("Course or training content"), max_length=200),
    F("hours", _l("Hours"), max_length=7),
    F("started_on", _l("Start date"), "date", required=False),
    F("ended_on", _l("End date"), "date", required=False),
    F("organizer", _l("Organizer"), required=False, max_length=100),
], entry_rule=_combine(_period_rule("started_on", "ended_on"), _hours_rule)))

_section(SectionKind("work_experience", _l("Work experience"), "entries", [
    F("started_on", _l("Start date"), "date"),
    F("ended_on", _l("End date"), "date", required=False, help=_l("Leave empty for a current job (until now)")),
    F("unit", _l("Unit - department - post"), max_length=150, help=_l("e.g. xx单位-xx部门-馆员")),
    F("professional_work", _l("Professional and technical work"), max_length=100,
      help=_l("The professional work you did in this period, as it really was")),
    F("post", _l("Position held"), max_length=50),
    F("summary", _l("Summary of the experience"), "textarea", required=False, max_length=500),
], entry_rule=_work_entry_rule, section_rule=_work_section_rule))

_section(SectionKind("achievements", _l("Representative achievements"), "entries", [
    F("name", _l("Achievement name"), max_length=200),
    F("category", _l("Achievement type"), "select", choices=ACHIEVEMENT_KINDS),
    F("date", _l("Date"), "date"),
    F("rank", _l("Rank (n/m)"), max_length=7, help=_l("Your place among the authors, e.g. 1/3")),
    # stored as "note" (its name before it became the required 批准机关)
    F("note", _l("Approving body"), max_length=200,
      help=_l("The full legal name of the body on the certificate or approval, not shortened")),
    F("grade", _l("Grade"), "select", choices=ACHIEVEMENT_GRADES),
], entry_rule=_rank_rule("rank")))

_section(SectionKind("work_summary", _l("Work achievements and performance"), "text", max_length=TEXT_MAX))

_section(SectionKind("societies", _l("Academic societies and part-time posts"), "entries", [
    F("name", _l("Society or organisation"), max_length=100),
    F("post", _l("Post held"), max_length=50),
    F("started_on", _l("Start date"), "date"),
    F("ended_on", _l("End date"), "date", required=False, help=_l("Leave empty if still held")),
], entry_rule=_period_rule("started_on", "ended_on")))

_section(SectionKind("publicity_proof", _l("Unit publicity and result report"), "attachments",
                     template_download=True))
_section(SectionKind("other_attachments", _l("Other attachments"), "attachments"))


# --- continuing education: hours per year against the requirement ---------------------------------------

DEFAULT_CONTINUING_EDUCATION_HOURS = 90


@dataclass(frozen=True)
class YearHours:
    year: int
    hours: float
    required: int

    @property
    def met(self) -> bool:
        return self.hours >= self.required


def _entry_year(data: dict) -> int | None:
    year = data.get("year")
    if isinstance(year, int):
        return year
    if isinstance(year, str) and year.isdigit():
        return int(year)
    started = _parse_date(data.get("started_on"))  # entries typed in before the year field existed
    return started.year if started else None


def yearly_hours(entries: list[dict], required: int) -> list[YearHours]:
    """The total hours of each year with entries, newest first, against `required` hours a year."""
    totals: dict[int, float] = {}
    for data in entries:
        year = _entry_year(data)
        try:
            hours = float(data.get("hours") or 0)
        except (TypeError, ValueError):
            continue
        if year is not None:
            totals[year] = totals.get(year, 0.0) + hours
    return [YearHours(year, round(total, 1), required) for year, total in sorted(totals.items(), reverse=True)]


# --- cleaning input --------------------------------------------------------------------------------------

def clean_entry(code: str, raw: dict, application: Application, entry_id: int | None = None,
                others: list[dict] | None = None) -> tuple[dict, dict[str, str]]:
    """(cleaned data, {field: message}) for one entry of section `code`; raw values are strings from a form
    (or JSON values). The cleaned data keeps what was typed for fields with an error."""
    spec = SECTIONS[code]
    today = utcnow().date()
    data: dict = {}
    errors: dict[str, str] = {}
    for f in spec.fields:
        value = raw.get(f.name)
        if f.type == "bool":
            data[f.name] = value in (True, 1, "1", "true", "True", "on", "y", "yes", "是")
            continue
        value = "" if value is None else str(value).strip()
        data[f.name] = value
        if not value:
            if f.required:
                errors[f.name] = _("This field is required")
            continue
        if f.type in ("text", "textarea"):
            if len(value) > f.max_length:
                errors[f.name] = _("At most %(n)d characters", n=f.max_length)
        elif f.type == "select":
            if value not in f.choices:
                errors[f.name] = _("Choose one of the listed values")
        elif f.type == "date":
            parsed = _parse_date(value)
            if parsed is None:
                errors[f.name] = _("Enter a date as YYYY-MM-DD")
            elif parsed < DATE_MIN or parsed > today:
                errors[f.name] = _("The date must be between %(start)s and today", start=DATE_MIN.isoformat())
            else:
                data[f.name] = parsed.isoformat()
        elif f.type == "year":
            if not re.fullmatch(r"\d{4}", value) or not (DATE_MIN.year <= int(value) <= today.year):
                errors[f.name] = _("Enter a year between %(start)d and %(end)d", start=DATE_MIN.year, end=today.year)
            else:
                data[f.name] = int(value)
    if spec.entry_rule is not None:
        if others is None:  # an import passes the entries once instead of a query per row
            others = [e.data or {} for e in _entries(application.id, code) if e.id != entry_id]
        valid = {k: v for k, v in data.items() if k not in errors}
        for key, message in spec.entry_rule(valid, others, application).items():
            errors.setdefault(key, message)
    return data, errors


def text_errors(code: str, text: str, application: Application) -> str | None:
    """Why the text of section `code` cannot be saved, or None."""
    spec = SECTIONS[code]
    limit = spec.max_length or TEXT_MAX
    if len(text) > limit:  # characters, not bytes
        return _("At most %(n)d characters (now %(count)d)", n=limit, count=len(text))
    name = (application.person.real_name or "").strip() if application.person is not None else ""
    if name and name in re.sub(r"\s+", "", text):  # 王 五 is still the name
        return _("The text must not contain your name (%(name)s): the committee reviews it anonymously",
                 name=name)
    return None


# --- configuration and state ----------------------------------------------------------------------------

def configured_sections(business: str, committee_id: int | None, year: int | None) -> list[BusinessSection]:
    """The sections `business` shows for this committee and year: an override row (committee_id and/or
    year set, matching) replaces the general row of the same section; the more specific override wins.
    Only shown rows, ordered by position."""
    rows = db.session.execute(select(BusinessSection).where(BusinessSection.business == business)
                              .order_by(BusinessSection.position, BusinessSection.id)).scalars().all()
    chosen: dict[str, tuple[int, BusinessSection]] = {}
    for row in rows:
        if row.committee_id is not None and row.committee_id != committee_id:
            continue
        if row.year is not None and row.year != year:
            continue
        specificity = (row.committee_id is not None) * 2 + (row.year is not None)
        current = chosen.get(row.section)
        if current is None or specificity > current[0]:
            chosen[row.section] = (specificity, row)
    ordered = sorted((row for _s, row in chosen.values()), key=lambda r: (r.position, r.id))
    return [row for row in ordered if row.shown and row.section in SECTIONS]


def configured_for(application: Application) -> list[BusinessSection]:
    return configured_sections(application.business, application.committee_id, application.year)


def section_config(application: Application, code: str) -> BusinessSection | None:
    return next((row for row in configured_for(application) if row.section == code), None)


def _entries(application_id: int, code: str | None = None) -> list[SectionEntry]:
    stmt = select(SectionEntry).where(SectionEntry.application_id == application_id)
    if code is not None:
        stmt = stmt.where(SectionEntry.section == code)
    return list(db.session.execute(stmt.order_by(SectionEntry.position, SectionEntry.id)).scalars())


def entries_of(application_id: int, code: str) -> list[SectionEntry]:
    return _entries(application_id, code)


def _rows(application_id: int) -> dict[str, ApplicationSection]:
    return {row.section: row for row in db.session.execute(
        select(ApplicationSection).where(ApplicationSection.application_id == application_id)).scalars()}


def _counts(model, application_id: int) -> dict[str, int]:
    return dict(db.session.execute(select(model.section, func.count(model.id))
                                   .where(model.application_id == application_id).group_by(model.section)).all())


@dataclass
class SectionState:
    code: str
    label: object
    kind: str
    required: bool
    status: str  # empty / filled / rejected
    reason: str
    entry_count: int
    attachment_count: int
    editable: bool
    max_entries: int | None = None
    version: int = 1


def content_status(kind: str, entry_count: int, attachment_count: int, text: str) -> str:
    if kind == "entries":
        return "filled" if entry_count else "empty"
    if kind == "attachments":
        return "filled" if attachment_count else "empty"
    return "filled" if text.strip() else "empty"


def section_states(application: Application) -> list[SectionState]:
    """One state per configured section (P6: grey empty, blue filled, red rejected); reads only."""
    rows = _rows(application.id)
    entries = _counts(SectionEntry, application.id)
    files = _counts(Attachment, application.id)
    editable = editable_sections(application, rows=rows)
    states = []
    for config in configured_for(application):
        code, spec = config.section, SECTIONS[config.section]
        row = rows.get(code)
        text = row.text if row is not None else ""
        status = content_status(spec.kind, entries.get(code, 0), files.get(code, 0), text or "")
        if row is not None and row.status == "rejected":
            status = "rejected"
        states.append(SectionState(
            code=code, label=spec.label, kind=spec.kind, required=bool(config.required), status=status,
            reason=(row.reason or "") if row is not None else "", entry_count=entries.get(code, 0),
            attachment_count=files.get(code, 0), editable=code in editable, max_entries=config.max_entries,
            version=row.version if row is not None else 1))
    return states


def section_problems(application: Application, config: BusinessSection, *, entries=None, text=None,
                     attachment_count=None) -> list[str]:
    """The reasons why one configured section blocks 确认申报 (empty when fine)."""
    spec = SECTIONS[config.section]
    problems: list[str] = []
    if spec.kind == "entries":
        data = [e.data or {} for e in (entries if entries is not None else _entries(application.id, spec.code))]
        if not data:
            return [_("Not filled in")] if config.required else []
        if config.max_entries and len(data) > config.max_entries:
            problems.append(_("At most %(n)d entries (now %(count)d)", n=config.max_entries, count=len(data)))
        if spec.section_rule is not None:
            problems.extend(spec.section_rule(data, application))
    elif spec.kind == "text":
        value = (text or "").strip()
        if not value:
            return [_("Not filled in")] if config.required else []
        error = text_errors(spec.code, value, application)
        if error:
            problems.append(error)
    else:
        if config.required and not attachment_count:
            problems.append(_("Upload at least one file"))
    return problems


def missing_sections(application: Application) -> list[tuple[str, str]]:
    """(section label, reason) for every configured section that blocks 确认申报; [] means submittable."""
    rows = _rows(application.id)
    files = _counts(Attachment, application.id)
    all_entries: dict[str, list[SectionEntry]] = {}
    for entry in _entries(application.id):
        all_entries.setdefault(entry.section, []).append(entry)
    result = []
    for config in configured_for(application):
        code = config.section
        row = rows.get(code)
        for problem in section_problems(application, config, entries=all_entries.get(code, []),
                                        text=row.text if row is not None else "",
                                        attachment_count=files.get(code, 0)):
            result.append((str(SECTIONS[code].label), problem))
    return result


def _last_return_at(application: Application) -> dt.datetime | None:
    return db.session.execute(select(func.max(ApplicationEvent.at)).where(
        ApplicationEvent.application_id == application.id, ApplicationEvent.action == "return")).scalar()


def editable_sections(application: Application, rows: dict[str, ApplicationSection] | None = None) -> set[str]:
    """Draft: every configured section. Returned (P9): the sections the unit marked 不通过 — those still
    `rejected`, and those the applicant has saved since that return (status back to filled, reason kept).
    Any other status: none."""
    if application.status == "draft":
        return {row.section for row in configured_for(application)}
    if application.status != "returned":
        return set()
    rows = rows if rows is not None else _rows(application.id)
    configured = {row.section for row in configured_for(application)}
    returned_at = _last_return_at(application)
    result = set()
    for code, row in rows.items():
        if code not in configured:
            continue
        if row.status == "rejected":
            result.add(code)
        elif row.reason and row.updated_at is not None and returned_at is not None and row.updated_at >= returned_at:
            result.add(code)
    return result

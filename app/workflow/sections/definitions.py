"""The sections of an application (P4–P6) as data: what each section asks (its fields), its kind and
which rules of app/workflow/sections/rules.py check an entry and the whole section.

Entries are stored as `SectionEntry.data` (a JSON dict keyed by `Field.name`); dates as "YYYY-MM-DD",
years as int, bools as true/false. Which sections a business shows is configured per business, committee
and year (BusinessSection rows, app/workflow/sections/state.py)."""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Callable

from flask_babel import lazy_gettext as _l

from app.workflow.sections import rules
from app.workflow.sections.rules import TEXT_MAX

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


EDUCATION_LEVELS = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "技工学校", "高中",
                    "大学普通班", "党校研究生", "党校大学", "党校大专", "省业余大学", "其他")
DEGREES = ("博士", "硕士", "学士", "无")
EDUCATION_KINDS = ("全日制学历", "评审依据学历", "其他学历")
TITLE_LEVELS = ("正高级", "副高级", "中级", "初级", "员级", "其他")
ASSESSMENT_RESULTS = ("优秀", "合格", "基本合格", "不合格", "不定等次", "未考核")
LANGUAGE_KINDS = ("外语", "计算机")
ACHIEVEMENT_KINDS = ("论文/著作", "课题", "获奖", "其他")
ACHIEVEMENT_GRADES = ("国家级", "省部级", "市厅级", "县区级", "单位级", "其他")  # 等级 (seed 003 item 16 ⑤)

F = Field
_ALL = (
    SectionKind("education", _l("Education"), "entries", [
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
    ], entry_rule=rules.education_rule),

    SectionKind("current_title", _l("Current professional title"), "entries", [
        F("level", _l("Level of the title held"), "select", choices=TITLE_LEVELS),
        F("series", _l("Series of the title held"), max_length=50),
        F("title", _l("Current professional title"), max_length=50, help=_l("Enter 无 if you have none")),
        F("obtained_on", _l("Qualification date"), "date"),
        F("appointed_on", _l("Appointment date"), "date", required=False),
        F("appointment_years", _l("Appointment period"), required=False, max_length=30),
    ], entry_rule=rules.period_rule("obtained_on", "obtained_on")),

    SectionKind("admin_post", _l("Current administrative post"), "entries", [
        F("post", _l("Post"), max_length=50),
        F("unit", _l("Unit"), max_length=100),
        F("started_on", _l("Appointed on"), "date"),
        F("document", _l("Appointment document number"), required=False, max_length=50),
    ]),

    SectionKind("assessment", _l("Assessments since the current title"), "entries", [
        F("year", _l("Year"), "year"),
        F("post", _l("Professional post held"), max_length=50,
          help=_l("A professional title or post, not an administrative post; 无 if none")),
        F("result", _l("Assessment result"), "select", choices=ASSESSMENT_RESULTS),
        F("assessor", _l("Assessing unit"), max_length=100),
    ], entry_rule=rules.assessment_rule, section_rule=rules.assessment_section_rule),

    SectionKind("language_computer", _l("Foreign language and computer skills"), "entries", [
        F("kind", _l("Category"), "select", choices=LANGUAGE_KINDS),
        F("language", _l("Language or field"), max_length=30, help=_l("e.g. 英语, 计算机")),
        F("level", _l("Level or certificate"), max_length=100,
          help=_l("The certificate or level obtained, e.g. CET-4, 全国职称外语等级考试B级; 无 if none")),
        F("obtained_on", _l("Obtained on"), "date", required=False),
    ], entry_rule=rules.language_rule),

    # year, course and hours are what the continuing-education platform exports (and the import reads);
    # the dates and the organizer are kept for entries typed in by hand
    SectionKind("continuing_education", _l("Continuing education"), "entries", [
        F("year", _l("Year"), "year"),
        F("content", _l("Course or training content"), max_length=200),
        F("hours", _l("Hours"), max_length=7),
        F("started_on", _l("Start date"), "date", required=False),
        F("ended_on", _l("End date"), "date", required=False),
        F("organizer", _l("Organizer"), required=False, max_length=100),
    ], entry_rule=rules.combine(rules.period_rule("started_on", "ended_on"), rules.hours_rule)),

    SectionKind("work_experience", _l("Work experience"), "entries", [
        F("started_on", _l("Start date"), "date"),
        F("ended_on", _l("End date"), "date", required=False, help=_l("Leave empty for a current job (until now)")),
        F("unit", _l("Unit - department - post"), max_length=150, help=_l("e.g. xx单位-xx部门-馆员")),
        F("professional_work", _l("Professional and technical work"), max_length=100,
          help=_l("The professional work you did in this period, as it really was")),
        F("post", _l("Position held"), max_length=50),
        F("summary", _l("Summary of the experience"), "textarea", required=False, max_length=500),
    ], entry_rule=rules.work_entry_rule, section_rule=rules.work_section_rule),

    SectionKind("achievements", _l("Representative achievements"), "entries", [
        F("name", _l("Achievement name"), max_length=200),
        F("category", _l("Achievement type"), "select", choices=ACHIEVEMENT_KINDS),
        F("date", _l("Date"), "date"),
        F("rank", _l("Rank (n/m)"), max_length=7, help=_l("Your place among the authors, e.g. 1/3")),
        # stored as "note" (its name before it became the required 批准机关)
        F("note", _l("Approving body"), max_length=200,
          help=_l("The full legal name of the body on the certificate or approval, not shortened")),
        F("grade", _l("Grade"), "select", choices=ACHIEVEMENT_GRADES),
    ], entry_rule=rules.rank_rule("rank")),

    SectionKind("work_summary", _l("Work achievements and performance"), "text", max_length=TEXT_MAX),

    SectionKind("societies", _l("Academic societies and part-time posts"), "entries", [
        F("name", _l("Society or organisation"), max_length=100),
        F("post", _l("Post held"), max_length=50),
        F("started_on", _l("Start date"), "date"),
        F("ended_on", _l("End date"), "date", required=False, help=_l("Leave empty if still held")),
    ], entry_rule=rules.period_rule("started_on", "ended_on")),

    SectionKind("publicity_proof", _l("Unit publicity and result report"), "attachments", template_download=True),
    SectionKind("other_attachments", _l("Other attachments"), "attachments"),
)

SECTIONS: dict[str, SectionKind] = {kind.code: kind for kind in _ALL}

"""The rules of the sections (P4–P6, P9) as pure functions: no database, no request. An entry rule takes
(data, others, application) and returns {field: message}; a section rule takes (entries data, application)
and returns [message]. `clean_fields`, `text_problem` and `section_problems` apply a section's definition
(app/workflow/sections/definitions.py) to what was typed or stored."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from app.workflow.states import SectionStatus

TEXT_MAX = 1200  # 工作成绩及表现: at most 1200 characters (seed 003 item 17)
CHSI_REQUIRED_FROM = dt.date(2002, 1, 1)  # "2001年之后取得的国内学历": graduated on or after 2002-01-01
DATE_MIN = dt.date(1930, 1, 1)
# 外语/计算机水平: "不得填写熟练、良好等含糊不清的词语" (seed 003 item 13). A level made only of these
# words (and filler) is refused; a certificate name that merely contains one of them is accepted.
VAGUE_LEVEL_WORDS = ("熟练", "良好", "精通", "一般", "较好", "很好", "较强", "优秀", "掌握", "熟悉", "了解",
                     "基本掌握", "初级水平", "中级水平", "高级水平", "会", "能", "懂", "可以", "较熟练",
                     "fluent", "good", "excellent", "basic")
_VAGUE_FILLER = re.compile(r"[\s,，。.、;；:：!！()（）水平程度能力使用应用操作阅读听说读写口语英语日语俄语德语法语计算机电脑办公软件和及与]+")
TRUE_VALUES = (True, 1, "1", "true", "True", "on", "y", "yes", "是")


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _months(value: dt.date) -> int:
    return value.year * 12 + value.month - 1


# --- entry rules (each returns {field: message}) -------------------------------------------------------

def education_rule(data, others, application) -> dict:
    errors = {}
    graduated = parse_date(data.get("graduated_on"))
    if graduated and not data.get("foreign") and graduated >= CHSI_REQUIRED_FROM and not data.get("chsi_code"):
        errors["chsi_code"] = _("A domestic degree obtained after 2001 needs the CHSI verification code")
    code = data.get("chsi_code")
    if code and not re.fullmatch(r"[A-Za-z0-9]{8,32}", code):
        errors["chsi_code"] = _("The verification code consists of 8 to 32 letters and digits")
    return errors


def period_rule(start: str, end: str):
    def rule(data, others, application) -> dict:
        started, ended = parse_date(data.get(start)), parse_date(data.get(end))
        if started and ended and ended < started:
            return {end: _("The end date must not be before the start date")}
        return {}
    return rule


def work_entry_rule(data, others, application) -> dict:
    errors = period_rule("started_on", "ended_on")(data, others, application)
    if not data.get("ended_on") and any(not o.get("ended_on") for o in others):
        errors["ended_on"] = _("Only one job may be open-ended (until now); enter the end date of this one")
    return errors


def work_section_rule(entries: list[dict], application) -> list[str]:
    """Work experience is continuous (seed 003 item 15): sorted by start, each job starts in the month its
    predecessor ended or the month after; only the last may be open-ended."""
    rows = [(e, parse_date(e.get("started_on")), parse_date(e.get("ended_on"))) for e in entries]
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


def rank_rule(name: str):
    def rule(data, others, application) -> dict:
        value = data.get(name)
        if not value:
            return {}
        match = re.fullmatch(r"(\d{1,3})/(\d{1,3})", value)
        if not match or not (1 <= int(match.group(1)) <= int(match.group(2))):
            return {name: _("Enter the rank as n/m with 1 ≤ n ≤ m, e.g. 1/3")}
        return {}
    return rule


def assessment_rule(data, others, application) -> dict:
    year = data.get("year")
    if year and any(o.get("year") == year for o in others):
        return {"year": _("The year %(year)s is already entered", year=year)}
    return {}


def assessment_section_rule(entries: list[dict], application) -> list[str]:
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


def language_rule(data, others, application) -> dict:
    if is_vague_level(data.get("level", "")):
        return {"level": _("Enter the certificate or level obtained (e.g. CET-4, 全国职称外语等级考试B级); "
                           "vague words such as 熟练 or 良好 are not accepted; enter 无 if you have none")}
    return {}


def hours_rule(data, others, application) -> dict:
    hours = data.get("hours")
    if hours and not re.fullmatch(r"\d{1,4}(\.\d)?", hours):
        return {"hours": _("Enter the hours as a number")}
    return {}


def combine(*rules):
    def rule(data, others, application) -> dict:
        errors: dict = {}
        for r in rules:
            for key, message in r(data, others, application).items():
                errors.setdefault(key, message)
        return errors
    return rule


# --- applying a definition ------------------------------------------------------------------------------

def _clean_value(f, value: str, today: dt.date) -> tuple[object, str | None]:
    """(stored value, error or None) of one non-empty typed value of field `f`."""
    if f.type in ("text", "textarea"):
        return value, (_("At most %(n)d characters", n=f.max_length) if len(value) > f.max_length else None)
    if f.type == "select":
        return value, (None if value in f.choices else _("Choose one of the listed values"))
    if f.type == "date":
        parsed = parse_date(value)
        if parsed is None:
            return value, _("Enter a date as YYYY-MM-DD")
        if parsed < DATE_MIN or parsed > today:
            return value, _("The date must be between %(start)s and today", start=DATE_MIN.isoformat())
        return parsed.isoformat(), None
    if f.type == "year":
        if not re.fullmatch(r"\d{4}", value) or not (DATE_MIN.year <= int(value) <= today.year):
            return value, _("Enter a year between %(start)d and %(end)d", start=DATE_MIN.year, end=today.year)
        return int(value), None
    return value, None


def clean_fields(spec, raw: dict, others: list[dict], application, today: dt.date) -> tuple[dict, dict[str, str]]:
    """(cleaned data, {field: message}) for one entry of section `spec`; raw values are strings from a form
    (or JSON values); `others` are the data of the section's other entries. The cleaned data keeps what was
    typed for fields with an error."""
    data: dict = {}
    errors: dict[str, str] = {}
    for f in spec.fields:
        value = raw.get(f.name)
        if f.type == "bool":
            data[f.name] = value in TRUE_VALUES
            continue
        value = "" if value is None else str(value).strip()
        data[f.name] = value
        if not value:
            if f.required:
                errors[f.name] = _("This field is required")
            continue
        data[f.name], error = _clean_value(f, value, today)
        if error:
            errors[f.name] = error
    if spec.entry_rule is not None:
        valid = {k: v for k, v in data.items() if k not in errors}
        for key, message in spec.entry_rule(valid, others, application).items():
            errors.setdefault(key, message)
    return data, errors


def text_problem(spec, text: str, application) -> str | None:
    """Why `text` cannot be saved as the text of section `spec`, or None."""
    limit = spec.max_length or TEXT_MAX
    if len(text) > limit:  # characters, not bytes
        return _("At most %(n)d characters (now %(count)d)", n=limit, count=len(text))
    name = (application.person.real_name or "").strip() if application.person is not None else ""
    if name and name in re.sub(r"\s+", "", text):  # 王 五 is still the name
        return _("The text must not contain your name (%(name)s): the committee reviews it anonymously",
                 name=name)
    return None


def section_problems(spec, config, application, data: list[dict], text: str, attachment_count: int) -> list[str]:
    """The reasons why one configured section (its BusinessSection `config`) blocks 确认申报, given its
    entries' data, its text and its number of files; [] when fine."""
    problems: list[str] = []
    if spec.kind == "entries":
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
        error = text_problem(spec, value, application)
        if error:
            problems.append(error)
    elif config.required and not attachment_count:
        problems.append(_("Upload at least one file"))
    return problems


def content_status(kind: str, entry_count: int, attachment_count: int, text: str) -> str:
    """empty or filled, by what a section of `kind` holds."""
    if kind == "entries":
        filled = bool(entry_count)
    elif kind == "attachments":
        filled = bool(attachment_count)
    else:
        filled = bool(text.strip())
    return (SectionStatus.FILLED if filled else SectionStatus.EMPTY).value


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
    started = parse_date(data.get("started_on"))  # entries typed in before the year field existed
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

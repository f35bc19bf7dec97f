"""How the entries of a section print: by date, as the official forms list them, whatever
order the applicant typed them in, and an open-ended job as 至今. Used by every form (app/services/pdf.py)
and the review page, so they agree."""
from __future__ import annotations

from flask_babel import gettext as _

# section -> (the field holding its date, newest first?). 学历, 工作经历 and 考核 run in time order as on the
# paper forms (自…至…, year by year); 代表性成果 lead with the latest.
PRINT_ORDER: dict[str, tuple[str, bool]] = {
    "education": ("graduated_on", False),
    "work_experience": ("started_on", False),
    "assessment": ("year", False),
    "achievements": ("date", True),
}
# section -> the end-date field that, left empty, means the entry still runs
OPEN_ENDED: dict[str, str] = {"work_experience": "ended_on"}


def _date(entry, field: str) -> str:
    data = getattr(entry, "data", entry) or {}
    value = data.get(field)
    return "" if value in (None, "") else str(value)


def in_print_order(code: str, entries: list) -> list:
    """`entries` (SectionEntry rows or data dicts) of section `code` in print order; entries without a date
    keep their entry order after the dated ones."""
    if code not in PRINT_ORDER:
        return list(entries)
    field, newest_first = PRINT_ORDER[code]
    dated = [e for e in entries if _date(e, field)]
    undated = [e for e in entries if not _date(e, field)]
    dated.sort(key=lambda e: _date(e, field), reverse=newest_first)  # stable: ties keep entry order
    return dated + undated


def is_open_end(code: str, field: str, value) -> bool:
    return OPEN_ENDED.get(code) == field and value in (None, "")


def until_now() -> str:
    return _("Until now")

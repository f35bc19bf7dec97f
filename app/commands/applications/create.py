"""P3: 新增申报信息 — the base form of a new application, and the rules it shares with editing.

Every rule is checked here, whatever route the data came by (page, API or a forged POST); each
error names its form field so the page shows it beside the field."""
from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.commands.applications import initial
from app.commands.applications.commitment import applicant_for, has_agreed
from app.commands.applications.fields import FieldErrors
from app.commands.base import BaseCommand, transactional
from app.commands.errors import CommandError, Invalid, NotAllowed
from app.extensions import db
from app.models.accounts import Person
from app.models.applications import Application, Blacklist
from app.models.catalog import ApplicationMethod, Committee, ExceptionalCase, Specialty, Title, TitleLevel, TitleSeries
from app.models.units import Unit
from app.services import catalog, timeline
from app.workflow.states import BUSINESS_LABELS, CLOSED_STATUSES, Status, label

RANK_RE = re.compile(r"^\s*(\d{1,4})\s*[/／]\s*(\d{1,4})\s*$")
NAME_MAX = 128
FIRST_YEAR = 1950
MAX_PROFESSIONAL_YEARS = 70
# the base-form fields a command reads; anything else posted is ignored
FIELDS = ("level_id", "series_id", "title_id", "specialty_id", "method_id", "exceptional_case_id", "unit_id",
          "is_work_unit", "work_unit_name", "agency_unit_name", "entrusted", "recommendation_rank",
          "work_started_on", "professional_years", "committee_id", "title_obtained_year") + initial.FIELDS


def blacklisted_until(person_id: int, today: dt.date) -> dt.date | None:
    """P12: the last day of the longest blacklisting in force today, or None."""
    rows = db.session.execute(select(Blacklist.until).where(Blacklist.person_id == person_id,
                                                            Blacklist.until >= today)).scalars().all()
    return max(rows) if rows else None


def check_blacklist(person_id: int) -> None:
    until = blacklisted_until(person_id, utcnow().date())
    if until is not None:
        raise NotAllowed(_l("You are on the blacklist until %(date)s and cannot apply before then",
                            date=until.isoformat()))


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def _id(data: dict, name: str, model, message, *, required: bool = True):
    """The catalog row chosen in field `name`, or Invalid at that field."""
    raw = _text(data, name)
    if not raw:
        if required:
            raise Invalid(message, name)
        return None
    row = db.session.get(model, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if row is None:
        raise Invalid(_l("Choose an entry from the list"), name)
    return row


def _flag(data: dict, name: str, default: bool) -> bool:
    raw = _text(data, name).lower()
    if raw in ("1", "true", "y", "yes", "on"):
        return True
    if raw in ("0", "false", "n", "no", "off"):
        return False
    if raw == "":
        return default
    raise Invalid(_l("Choose yes or no"), name)


def parse_rank(text: str) -> tuple[int, int] | None:
    match = RANK_RE.match(text or "")
    if not match:
        return None
    n, m = int(match.group(1)), int(match.group(2))
    return (n, m) if 1 <= n <= m else None


def _started_on(data: dict, today: dt.date) -> dt.date:
    try:
        started = dt.date.fromisoformat(_text(data, "work_started_on"))
    except ValueError:
        raise Invalid(_l("Enter a date like 2015-07-01"), "work_started_on") from None
    if not (dt.date(FIRST_YEAR, 1, 1) <= started <= today):
        raise Invalid(_l("The date must be between %(first)s and today", first=FIRST_YEAR), "work_started_on")
    return started


def clean_base_form(data: dict, business: str, year: int, today: dt.date) -> dict:
    """The column values of a valid base form, or Invalid whose `details` list every wrong field as
    (field, message); `field`/`message` are the first. A rule that needs another field's value (the title
    needs the level and series) is checked only when that value is valid."""
    values: dict = {}
    errs = FieldErrors()
    level = errs.check(_id, data, "level_id", TitleLevel, _l("Choose the level"))
    series = errs.check(_id, data, "series_id", TitleSeries, _l("Choose the series"))
    title = errs.check(_id, data, "title_id", Title, _l("Choose the title"))
    if title is not None and level is not None and series is not None and (
            title.level_id != level.id or title.series_id != series.id):
        errs.add(_l("This title does not belong to the chosen level and series"), "title_id")
    specialty = errs.check(_id, data, "specialty_id", Specialty, _l("Choose the specialty"))
    if specialty is not None and series is not None and specialty.series_id != series.id:
        errs.add(_l("This specialty does not belong to the chosen series"), "specialty_id")

    method = errs.check(_id, data, "method_id", ApplicationMethod, _l("Choose the application method"))
    case = None
    if method is not None and method.is_exceptional:  # 破格情况 only for 破格, and then required
        case = errs.check(_id, data, "exceptional_case_id", ExceptionalCase, _l("Choose the exceptional case"))

    unit = errs.check(_id, data, "unit_id", Unit, _l("Choose the applying unit"))
    if unit is not None and not unit.has_permission:
        errs.add(_l("This unit has no permission to accept title applications"), "unit_id")
    is_work_unit = errs.check(_flag, data, "is_work_unit", True)
    work_unit_name = _text(data, "work_unit_name")
    if is_work_unit is False and not work_unit_name:
        errs.add(_l("Enter the unit you actually work for"), "work_unit_name")
    if len(work_unit_name) > NAME_MAX:
        errs.add(_l("At most %(n)d characters", n=NAME_MAX), "work_unit_name")
    agency = _text(data, "agency_unit_name")
    if len(agency) > NAME_MAX:
        errs.add(_l("At most %(n)d characters", n=NAME_MAX), "agency_unit_name")
    entrusted = errs.check(_flag, data, "entrusted", False)

    rank = parse_rank(_text(data, "recommendation_rank"))
    if rank is None:
        errs.add(_l("Enter the rank as n/m with 1 ≤ n ≤ m, e.g. 3/5 or 1/1"), "recommendation_rank")

    started = errs.check(_started_on, data, today)
    years = _text(data, "professional_years")
    if not years.isdigit() or int(years) > MAX_PROFESSIONAL_YEARS:
        errs.add(_l("Enter whole years between 0 and %(n)d", n=MAX_PROFESSIONAL_YEARS), "professional_years")
    elif started is not None and int(years) > today.year - started.year + 1:
        errs.add(_l("More years than since you started working"), "professional_years")

    committee_raw = "" if business == "initial" else _text(data, "committee_id")  # 初定 goes to an office instead
    if (business == "review" or committee_raw) and level is not None and series is not None and unit is not None:
        open_ids = set(db.session.execute(
            catalog.open_committees(level.id, series.id, unit.region_id, year, today)
            .with_only_columns(Committee.id)).scalars())
        if business == "review" and not open_ids:  # seed 004: 否则可能提示“未查到相关的评委会”
            errs.add(_l("No matching review committee found"), "committee_id")
        elif business == "review" and not committee_raw:
            errs.add(_l("Choose the review committee"), "committee_id")
        elif not committee_raw.isdigit() or int(committee_raw) not in open_ids:
            errs.add(_l("This committee does not accept this title from this unit now"), "committee_id")
    elif business == "review" and not committee_raw:
        errs.add(_l("Choose the review committee"), "committee_id")

    obtained = _text(data, "title_obtained_year")
    if business == "transfer" and (not obtained.isdigit() or not (FIRST_YEAR <= int(obtained) <= today.year)):
        # the year of the certificate, not of the transfer
        errs.add(_l("Enter the year the title was obtained (%(first)s to this year)", first=FIRST_YEAR),
                 "title_obtained_year")
    initial_values = initial.EMPTY
    if business == "initial" and series is not None:
        initial_values = errs.check(initial.clean_initial, data, series.id) or initial.EMPTY
    errs.raise_if_any()

    values.update(level_id=level.id, series_id=series.id, title_id=title.id, specialty_id=specialty.id,
                  method_id=method.id, exceptional_case_id=case.id if case else None,
                  unit_id=unit.id, is_work_unit=is_work_unit,
                  work_unit_name=None if is_work_unit else work_unit_name,
                  agency_unit_name=agency or None, entrusted=entrusted,
                  recommendation_rank=f"{rank[0]}/{rank[1]}", work_started_on=started,
                  professional_years=int(years), committee_id=int(committee_raw) if committee_raw else None,
                  title_obtained_year=int(obtained) if business == "transfer" else None)
    values.update(initial_values)
    return values


def open_application(person_id: int, business: str, year: int) -> Application | None:
    """The person's application of `business` and `year` that still holds its place (not cancelled or
    failed), or None: there is at most one (uq_application_one_open_per_year)."""
    return db.session.execute(
        select(Application).where(Application.person_id == person_id, Application.business == business,
                                  Application.year == year, Application.status.notin_(CLOSED_STATUSES))
        .order_by(Application.id).limit(1)).scalar_one_or_none()


def duplicate_refusal(existing: Application) -> CommandError:
    """The refusal naming the application that already holds the place."""
    return NotAllowed(_l("You already have a %(business)s for %(year)s: application No. %(number)s (%(title)s, "
                         "%(status)s, created on %(date)s). Continue with that one, or cancel it before "
                         "starting another.",
                         business=BUSINESS_LABELS.get(existing.business, existing.business), year=existing.year,
                         number=existing.id, title=existing.title.name if existing.title else "",
                         status=label(existing.status), date=existing.created_at.strftime("%Y-%m-%d")))


class _PlaceTaken(Exception):
    """The unique index refused the draft: another request of the same person made one first."""

    def __init__(self, person_id: int, business: str, year: int):
        super().__init__(business, year)
        self.person_id, self.business, self.year = person_id, business, year


def _name_the_winner(err: Exception) -> Exception | None:
    """After the rollback of a lost race: the refusal naming the application that won it."""
    if not isinstance(err, _PlaceTaken):
        return None
    existing = open_application(err.person_id, err.business, err.year)
    return duplicate_refusal(existing) if existing is not None else err.__cause__


class CreateApplicationCommand(BaseCommand):
    """Create a draft (version 1) of `business` for the signed-in applicant."""

    def __init__(self, user, business: str, data: dict):
        self.user, self.business, self.data = user, business, data
        self.person = None
        self.values: dict = {}

    def validate(self) -> None:
        self.person = applicant_for(self.user, self.business)
        if not has_agreed(self.person.id, self.business):
            raise NotAllowed(_l("Please read the commitment letter and choose I agree first"))
        check_blacklist(self.person.id)
        # one open application per person, business and year: checked under the person's row lock
        # (parallel requests of one person queue here on PostgreSQL), guarded by the unique index
        db.session.execute(select(Person.id).where(Person.id == self.person.id).with_for_update())
        today = utcnow().date()
        existing = open_application(self.person.id, self.business, today.year)
        if existing is not None:
            raise duplicate_refusal(existing)
        self.values = clean_base_form(self.data, self.business, today.year, today)

    @transactional(on_error=_name_the_winner)
    def run(self) -> Application:
        self.validate()
        now = utcnow()
        person_id = self.person.id  # read before the flush: a failed flush leaves the rows unreadable
        application = Application(person_id=person_id, business=self.business, year=now.year,
                                  status=Status.DRAFT.value, version=1, created_at=now, updated_at=now,
                                  **self.values)
        db.session.add(application)
        try:
            db.session.flush()
        except IntegrityError as err:  # a parallel request of the same person won the race
            raise _PlaceTaken(person_id, self.business, now.year) from err
        timeline.record(application, "create", "", Status.DRAFT, actor=self.user)
        return application

    run._zc_transactional = True  # its own transaction (with on_error): BaseCommand must not wrap it again

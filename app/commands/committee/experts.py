"""M1a 评委管理: the committee office adds an expert to its pool (name, ID number, mobile, e-mail, work unit,
series, specialty, current title level, a term of at most EXPERT_TERM_MAX_YEARS), which creates an Expert
login — or, when an account already holds that ID number (an applicant, or an expert of another committee),
gives that account the Expert role — and moves experts 入库 / 出库."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.commands.committee.numbers import is_number
from app.clock import utcnow
from app.commands import cas
from app.commands.accounts.create import new_user
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed
from app.daos.committee import office_committee, pool_expert
from app.extensions import db
from app.models.accounts import Person
from app.models.catalog import Committee, Specialty, TitleLevel
from app.models.committee import Expert
from app.models.units import Unit
from app.security import roles
from app.security.validators import EMAIL_RE, MOBILE_RE, parse_id_number
from app.services import audit, notify
from app.workflow.committee_states import NotAllowedHere, label, target

FIELDS = ("name", "id_number", "mobile", "email", "work_unit_name", "specialty", "level", "term_start", "term_end")
REQUIRED = _l("This field is required")


@dataclass
class ExpertData:
    name: str
    id_number: str
    mobile: str
    email: str
    work_unit_name: str
    work_unit_id: int | None
    series_id: int
    specialty_id: int | None
    level_id: int
    term_start: dt.date
    term_end: dt.date


def _date(value, field: str) -> dt.date:
    if isinstance(value, (dt.date, dt.datetime)):  # an Excel cell
        value = value.isoformat()
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    if not text:
        raise Invalid(REQUIRED, field)
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise Invalid(_l("Enter a date as YYYY-MM-DD"), field) from None
    if not 1990 <= day.year <= 2100:
        raise Invalid(_l("Enter a date as YYYY-MM-DD"), field)
    return day


def _lookup_by_name(model, value, field: str, **where):
    """A catalog row by id (the form) or by its name (an imported sheet), within `where`."""
    text = str(value or "").strip()
    if not text:
        return None
    stmt = select(model).filter_by(**where)
    stmt = stmt.where(model.id == int(text)) if is_number(text) else stmt.where(model.name == text)
    row = db.session.execute(stmt).scalars().first()
    if row is None:
        raise Invalid(_l("Choose one from the list"), field)
    return row


def clean_term(start_raw, end_raw) -> tuple[dt.date, dt.date]:
    """A term (聘期): two dates, the end before the same day EXPERT_TERM_MAX_YEARS years after the start."""
    start, end = _date(start_raw, "term_start"), _date(end_raw, "term_end")
    if end < start:
        raise Invalid(_l("The term ends before it starts"), "term_end")
    years = int(current_app.config["EXPERT_TERM_MAX_YEARS"])
    try:
        latest = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        latest = start.replace(year=start.year + years, day=28)
    if end >= latest:
        raise Invalid(_l("A term is at most %(n)d years", n=years), "term_end")
    return start, end


def clean_expert(raw: dict, committee: Committee) -> ExpertData:
    """Check one expert's fields (the add form and each imported row alike); Invalid names the field."""
    value = {key: str(raw.get(key) if raw.get(key) is not None else "").strip() for key in FIELDS}
    if not value["name"]:
        raise Invalid(REQUIRED, "name")
    if len(value["name"]) > 64:
        raise Invalid(_l("At most %(n)d characters", n=64), "name")
    try:
        id_number = parse_id_number(value["id_number"]).number
    except ValueError as err:
        raise Invalid(str(err) if value["id_number"] else REQUIRED, "id_number") from None
    if not MOBILE_RE.match(value["mobile"]):
        raise Invalid(_l("Enter an 11-digit mobile number"), "mobile")
    email = value["email"].lower()
    if email and (not EMAIL_RE.match(email) or len(email) > 320):
        raise Invalid(_l("Enter a valid e-mail address"), "email")
    if not value["work_unit_name"]:
        raise Invalid(REQUIRED, "work_unit_name")
    if len(value["work_unit_name"]) > 128:
        raise Invalid(_l("At most %(n)d characters", n=128), "work_unit_name")
    specialty = _lookup_by_name(Specialty, value["specialty"], "specialty", series_id=committee.series_id)
    level = _lookup_by_name(TitleLevel, value["level"], "level")
    if level is None:
        raise Invalid(REQUIRED, "level")
    start, end = clean_term(raw.get("term_start"), raw.get("term_end"))
    # the registered unit of that name, so the draw's 回避 compares units, not spellings
    unit_id = db.session.execute(select(Unit.id).where(Unit.name == value["work_unit_name"])
                                 .order_by(Unit.id).limit(1)).scalar()
    return ExpertData(name=value["name"], id_number=id_number, mobile=value["mobile"], email=email,
                      work_unit_name=value["work_unit_name"], work_unit_id=unit_id, series_id=committee.series_id,
                      specialty_id=specialty.id if specialty else None, level_id=level.id, term_start=start,
                      term_end=end)


def _free_username(id_number: str) -> str:
    sm = current_app.appbuilder.sm
    base = f"zj{id_number[-8:].lower()}"
    for suffix in [""] + [str(n) for n in range(2, 50)]:
        candidate = base + suffix
        if db.session.execute(select(sm.user_model.id).where(
                func.lower(sm.user_model.username) == candidate)).first() is None:
            return candidate
    return f"zj{secrets.token_hex(6)}"


def account_for(data: ExpertData, field_prefix: str = ""):
    """The account that holds the ID number (an applicant's, or an expert's of any committee) with the Expert
    role added, or a new Expert login with a random password nobody is told: the expert sets their own
    through 找回密码 with the login name sent to them (no password travels by SMS or sits in the outbox)."""
    sm = current_app.appbuilder.sm
    expert_role = sm.find_role(roles.EXPERT)
    user_id = db.session.execute(select(Person.user_id).where(Person.id_number == data.id_number)).scalar()
    if user_id is None:
        user_id = db.session.execute(select(Expert.user_id).where(Expert.id_number == data.id_number)
                                     .limit(1)).scalar()
    if user_id is not None:
        user = db.session.get(sm.user_model, user_id)
        if expert_role not in user.roles:
            before = ",".join(r.name for r in user.roles)
            user.roles = [*user.roles, expert_role]
            audit.record("roles_changed", object_type="user", object_id=user.id, from_state=before,
                         to_state=",".join(r.name for r in user.roles))
        return user, False
    if not data.email:
        raise Invalid(_l("A new expert login needs an e-mail address"), field_prefix + "email")
    if db.session.execute(select(sm.user_model.id).where(func.lower(sm.user_model.email) == data.email)).first():
        raise Invalid(_l("This e-mail address is used by another account"), field_prefix + "email")
    user = new_user(username=_free_username(data.id_number), real_name=data.name, email=data.email,
                    role_name=roles.EXPERT, password=secrets.token_urlsafe(24))
    return user, True


def add_expert(committee: Committee, data: ExpertData, actor) -> Expert:
    """Put one checked expert into the pool (the caller's transaction)."""
    if db.session.execute(select(Expert.id).where(Expert.committee_id == committee.id,
                                                  Expert.id_number == data.id_number)).first():
        raise Invalid(_l("This ID number is already in the pool"), "id_number")
    user, created = account_for(data)
    now = utcnow()
    expert = Expert(committee_id=committee.id, user_id=user.id, name=data.name, id_number=data.id_number,
                    mobile=data.mobile, email=data.email or None, work_unit_name=data.work_unit_name,
                    work_unit_id=data.work_unit_id, series_id=data.series_id, specialty_id=data.specialty_id,
                    level_id=data.level_id, term_start=data.term_start, term_end=data.term_end, status="in_pool",
                    created_at=now, updated_at=now, version=1)
    db.session.add(expert)
    db.session.flush()
    audit.record("expert.add", actor=actor, object_type="expert", object_id=expert.id, to_state="in_pool",
                 opinion=f"{committee.name} / {data.name}")
    if created:
        text = _("%(committee)s added you to its expert pool. Your login name is %(login)s: set your password "
                 "with 找回密码 on the sign-in page.", committee=committee.name, login=user.username)
        notify.send_sms(data.mobile, text)
        notify.send_email(data.email, _("You were added to an expert pool"), text)
    else:
        notify.notify_user(user, _("You were added to an expert pool"),
                           _("%(committee)s added you to its expert pool; sign in with your own account.",
                             committee=committee.name))
    return expert


class AddExpertCommand(BaseCommand):
    def __init__(self, user, data: dict):
        self.user, self.raw = user, data or {}

    def validate(self) -> None:
        self.committee = office_committee(self.user)
        self.data = clean_expert(self.raw, self.committee)

    def run(self) -> Expert:
        self.validate()
        return add_expert(self.committee, self.data, self.user)


class SetPoolStatusCommand(BaseCommand):
    """入库 (`enroll`) or 出库 (`retire`) one expert of the office's own pool; a compare-and-set on version."""

    def __init__(self, user, expert_id: int, action: str):
        self.user, self.expert_id, self.action = user, expert_id, action

    def validate(self) -> None:
        self.expert = pool_expert(self.user, self.expert_id, for_update=True)
        try:
            self.target = target("expert", self.action, self.expert.status)
        except NotAllowedHere:
            raise NotAllowed(_l("The expert is already %(status)s", status=label(self.expert.status))) from None

    def run(self) -> Expert:
        self.validate()
        expert, source = self.expert, self.expert.status
        expert.status, expert.updated_at = self.target.value, utcnow()
        cas.bump(expert)
        cas.write()
        audit.record(f"expert.{self.action}", actor=self.user, object_type="expert", object_id=expert.id,
                     from_state=source, to_state=expert.status)
        return expert


class SetTermCommand(BaseCommand):
    """续聘 or a corrected term of one expert of the office's pool; a compare-and-set on the version the form showed."""

    def __init__(self, user, expert_id: int, term_start, term_end, seen_version=None):
        self.user, self.expert_id, self.raw = user, expert_id, (term_start, term_end)
        self.seen_version = str(seen_version or "").strip()

    def validate(self) -> None:
        self.expert = pool_expert(self.user, self.expert_id, for_update=True)
        if self.seen_version and self.seen_version != str(self.expert.version):
            raise NotAllowed(cas.CHANGED_MEANWHILE)
        self.start, self.end = clean_term(*self.raw)

    def run(self) -> Expert:
        self.validate()
        expert = self.expert
        before = f"{expert.term_start} ~ {expert.term_end}"
        expert.term_start, expert.term_end, expert.updated_at = self.start, self.end, utcnow()
        cas.bump(expert)
        cas.write()
        audit.record("expert.term", actor=self.user, object_type="expert", object_id=expert.id, from_state=before,
                     to_state=f"{self.start} ~ {self.end}")
        return expert

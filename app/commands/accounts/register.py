"""Self-registration of individuals (个人注册) and units (单位注册).

One account per ID number (and per login name and e-mail): checked here for a clear message,
and enforced by the unique constraints so that two parallel registrations cannot both win.
"""
from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.commands.accounts.create import new_user
from app.commands.base import transaction
from app.commands.errors import Invalid
from app.extensions import db
from app.models.accounts import ID_TYPES, Person
from app.models.catalog import Region
from app.models.units import Unit
from app.security import roles
from app.security.passwords import password_problem
from app.security.validators import ETHNIC_GROUPS  # noqa: F401  (kept importable from here)
from app.security.validators import (EMAIL_RE, ETHNICITY_NOT_LISTED, LOGIN_NAME_RE, MOBILE_RE, is_ethnic_group,
                                     parse_id_number)
from app.services import audit

ID_TYPE_LABELS = {"resident_id": _l("Resident identity card")}
assert set(ID_TYPE_LABELS) <= set(ID_TYPES)

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# names of people: letters of any script, the middle dot of minority names, spaces
_BAD_NAME_RE = re.compile(r"[0-9<>&\"'`;=%$#@!?\\/|{}\[\]()+*^~,，。！？：:]")
_MAX_DB_INT = 2**31 - 1

MAX_LENGTHS = {"real_name": 64, "id_number": 32, "username": 32, "password": 128, "confirm_password": 128,
               "mobile": 16, "email": 320, "ethnicity": 16, "name": 128, "contact_name": 64,
               "id_type": 16}

REQUIRED = _l("This field is required")
DUPLICATE_ID = _l("This ID number is already registered; sign in, or recover your login name")
DUPLICATE_USERNAME = _l("This login name is taken; choose another")
DUPLICATE_EMAIL = _l("This e-mail address is used by another account")
DUPLICATE_UNIT = _l("A unit with this name is already registered in this region; "
                    "sign in with that account or contact the HR bureau of the region")


def refused(errors: list[Invalid]) -> Invalid:
    """Every problem of one registration in one error: message and field are those of the first, and
    `details` holds them all, so the form shows each beside its field."""
    return Invalid(errors[0].message, errors[0].field, details=errors)


class _RegisterCommand:
    """Not a BaseCommand: when a parallel registration wins the race for the ID number, login name or
    e-mail, the unique index refuses ours at the flush; `run()` then reads, after the rollback, which one
    it was (transaction(on_error=...)), so the person is told the same as the form would have said."""

    fields: tuple[str, ...] = ()
    role_name = ""

    def __init__(self, data: dict):
        self.data = {}
        for key in self.fields:
            value = data.get(key)
            value = value if isinstance(value, str) else ""
            self.data[key] = value if key in ("password", "confirm_password") else value.strip()

    # --- checks shared by both kinds of account ---

    def _basic(self, add) -> None:
        for key, value in self.data.items():
            if not value:
                add(REQUIRED, key)
            elif key != "region_id" and len(value) > MAX_LENGTHS[key]:  # a bad region id is a bad choice
                add(_l("At most %(n)d characters", n=MAX_LENGTHS[key]), key)
            elif key not in ("password", "confirm_password") and _CONTROL_RE.search(value):
                add(_l("This contains characters that are not allowed"), key)

    def _account(self, add, bad: set[str], *user_inputs: str) -> None:
        d = self.data
        if "username" not in bad:
            if not LOGIN_NAME_RE.match(d["username"]):
                add(_l("A login name has 4 to 32 letters, digits or underscores and starts with a letter"),
                    "username")
            elif self._username_taken():
                add(DUPLICATE_USERNAME, "username")
        if "password" not in bad:
            problem = password_problem(d["password"], d["username"], *user_inputs)
            if problem:
                add(problem, "password")
        if not {"password", "confirm_password"} & bad and d["password"] != d["confirm_password"]:
            add(_l("The two passwords differ"), "confirm_password")
        if "mobile" not in bad and not MOBILE_RE.match(d["mobile"]):
            add(_l("Enter an 11-digit mainland mobile number"), "mobile")
        if "email" not in bad:
            if not EMAIL_RE.match(d["email"]):
                add(_l("Enter a valid e-mail address"), "email")
            elif self._email_taken():
                add(DUPLICATE_EMAIL, "email")

    @staticmethod
    def _person_name(add, value: str, field: str) -> None:
        if len(value) < 2 or _BAD_NAME_RE.search(value):
            add(_l("Enter a valid name"), field)

    def _username_taken(self) -> bool:
        return self._user_exists(current_app.appbuilder.sm.user_model.username, self.data["username"])

    def _email_taken(self) -> bool:
        return self._user_exists(current_app.appbuilder.sm.user_model.email, self.data["email"])

    @staticmethod
    def _user_exists(column, value: str) -> bool:
        return db.session.execute(select(column).where(func.lower(column) == value.lower())).first() is not None

    # --- the use case ---

    def problems(self) -> list[Invalid]:
        """Every refusal, one per field at most, in form order."""
        found: dict[str, Invalid] = {}

        def add(message, field):
            found.setdefault(field, Invalid(message, field))

        self._basic(add)
        self._check(add, set(found))
        return [found[f] for f in self.fields if f in found]

    def validate(self) -> None:
        errors = self.problems()
        if errors:
            raise refused(errors)

    def run(self):
        with transaction(on_error=self._lost_race):
            self.validate()
            user = new_user(username=self.data["username"], real_name=self._user_name(),
                            email=self.data["email"].lower(), role_name=self.role_name,
                            password=self.data["password"])
            profile = self._create_profile(user)
            db.session.flush()
            audit.record("registered", actor=user, object_type=profile.__tablename__, object_id=profile.id,
                         to_state="registered", opinion=f"{self.role_name} {user.username}")
        return profile

    def _lost_race(self, err: Exception) -> Invalid | None:
        """A parallel registration won the race: nothing of ours stays (rolled back), and the person is told why."""
        if not isinstance(err, IntegrityError):
            return None
        return refused(self.problems() or [Invalid(_l("The registration could not be saved; please try again"))])

    def _check(self, add, bad: set[str]) -> None:
        raise NotImplementedError

    def _user_name(self) -> str:
        raise NotImplementedError

    def _create_profile(self, user):
        raise NotImplementedError


class RegisterIndividualCommand(_RegisterCommand):
    """个人注册: the account, then the person with birth date and gender from the ID number."""

    fields = ("real_name", "id_type", "id_number", "username", "password", "confirm_password",
              "mobile", "email", "ethnicity")
    role_name = roles.INDIVIDUAL

    def __init__(self, data: dict):
        super().__init__(data)
        self.id_info = None

    def _check(self, add, bad: set[str]) -> None:
        d = self.data
        if "real_name" not in bad:
            self._person_name(add, d["real_name"], "real_name")
        if "id_type" not in bad and d["id_type"] not in ID_TYPE_LABELS:
            add(_l("Choose an ID type from the list"), "id_type")
        if "id_number" not in bad:
            try:
                self.id_info = parse_id_number(d["id_number"])
            except ValueError as err:
                add(err.args[0], "id_number")
            else:
                d["id_number"] = self.id_info.number
                if db.session.execute(select(Person.id).where(Person.id_number == self.id_info.number)).first():
                    add(DUPLICATE_ID, "id_number")
        self._account(add, bad, d["real_name"], d["id_number"])
        if "ethnicity" not in bad and not is_ethnic_group(d["ethnicity"]):
            add(ETHNICITY_NOT_LISTED, "ethnicity")

    def _user_name(self) -> str:
        return self.data["real_name"]

    def _create_profile(self, user):
        d, info = self.data, self.id_info
        person = Person(user_id=user.id, real_name=d["real_name"], id_type=d["id_type"], id_number=info.number,
                        ethnicity=d["ethnicity"], birth_date=info.birth_date, gender=info.gender,
                        mobile=d["mobile"])
        db.session.add(person)
        return person


class RegisterUnitCommand(_RegisterCommand):
    """单位注册: the account, then the unit in a leaf region (district, or a city without districts)."""

    fields = ("name", "region_id", "contact_name", "mobile", "email", "username", "password",
              "confirm_password")
    role_name = roles.UNIT

    def __init__(self, data: dict):
        super().__init__(data)
        self.data["name"] = " ".join(self.data["name"].split())
        self.region = None

    def _check(self, add, bad: set[str]) -> None:
        d = self.data
        if "name" not in bad and len(d["name"]) < 2:
            add(_l("Enter the full name of the unit"), "name")
        if "region_id" not in bad:
            self.region = leaf_region(d["region_id"])
            if self.region is None:
                add(_l("Choose the province, city and district"), "region_id")
        if "contact_name" not in bad:
            self._person_name(add, d["contact_name"], "contact_name")
        if "name" not in bad and self.region is not None and db.session.execute(
                select(Unit.id).where(Unit.region_id == self.region.id,
                                      func.lower(Unit.name) == d["name"].lower())).first():
            add(DUPLICATE_UNIT, "name")
        self._account(add, bad, d["contact_name"], d["name"])

    def _user_name(self) -> str:
        return self.data["contact_name"]

    def _create_profile(self, user):
        d = self.data
        unit = Unit(user_id=user.id, name=d["name"], region_id=self.region.id, contact_name=d["contact_name"],
                    mobile=d["mobile"], email=d["email"].lower())
        db.session.add(unit)
        return unit


def region_by_id(raw) -> Region | None:
    """The region of that id, or None for a missing, non-numeric or out-of-range id (never raises)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= _MAX_DB_INT):
        return None
    return db.session.get(Region, int(text))


def leaf_region(raw) -> Region | None:
    """The region of that id if it exists and has no children (a district, or a city without any)."""
    region = region_by_id(raw)
    if region is None:
        return None
    has_children = db.session.execute(select(Region.id).where(Region.parent_id == region.id).limit(1)).first()
    return None if has_children else region

"""Basic information (基本信息). Only the listed fields change; the name and ID number never do,
whatever route the request came by (page, API or a forged POST)."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotFound
from app.extensions import db
from app.models.accounts import Person
from app.models.units import Unit
from app.security.validators import EMAIL_RE, ETHNICITY_NOT_LISTED, MOBILE_RE, is_ethnic_group
from app.services import audit

PERSON_EDITABLE = ("ethnicity", "email", "mobile", "phone", "wechat")
PERSON_FIXED = ("real_name", "id_number", "id_type", "birth_date", "gender", "username")
UNIT_EDITABLE = ("contact_name", "mobile", "email", "phone")
UNIT_FIXED = ("name", "region_id", "username", "credit_code")


def _check_contact(data: dict, user) -> None:
    if "mobile" in data and not MOBILE_RE.match(data["mobile"] or ""):
        raise Invalid(_l("Enter an 11-digit mainland mobile number"), "mobile")
    if "email" in data:
        email = (data["email"] or "").strip()
        if not EMAIL_RE.match(email):
            raise Invalid(_l("Enter a valid e-mail address"), "email")
        sm_user = current_app.appbuilder.sm.user_model
        taken = db.session.execute(
            select(sm_user.id).where(func.lower(sm_user.email) == email.lower(), sm_user.id != user.id)
        ).first()
        if taken:
            raise Invalid(_l("This e-mail address is used by another account"), "email")


class UpdateProfileCommand(BaseCommand):
    """Change the allowed fields of the signed-in account's own profile."""

    editable: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    required: tuple[str, ...] = ()  # may be left out of a change, never emptied
    model = None

    def __init__(self, user, data: dict):
        self.user = user
        self.data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
        self.profile = None

    def validate(self) -> None:
        forged = [k for k in self.fixed if k in self.data]
        if forged:
            raise Invalid(_l("The name and identity number cannot be changed"), forged[0])
        self.profile = db.session.execute(
            select(self.model).where(self.model.user_id == self.user.id)
        ).scalar_one_or_none()
        if self.profile is None:
            raise NotFound(_l("This account has no such profile"))
        _check_contact(self.data, self.user)
        for field in self.required:
            if field in self.data and not self.data[field]:
                raise Invalid(_l("This field is required"), field)

    def run(self):
        self.validate()
        changed = []
        for key in self.editable:
            if key not in self.data:
                continue
            value = self.data[key] or None
            if key == "email":
                if self.user.email != value:
                    self.user.email = value
                    changed.append(key)
                if hasattr(self.profile, "email"):
                    self.profile.email = value
                continue
            if getattr(self.profile, key) != value:
                setattr(self.profile, key, value)
                changed.append(key)
        if changed:
            audit.record("profile_updated", actor=self.user, object_type=self.model.__tablename__,
                         object_id=self.profile.id, opinion=", ".join(changed))
        return self.profile


class UpdatePersonProfileCommand(UpdateProfileCommand):
    editable, fixed, required, model = PERSON_EDITABLE, PERSON_FIXED, ("ethnicity",), Person

    def validate(self) -> None:
        super().validate()
        if "ethnicity" in self.data and not is_ethnic_group(self.data["ethnicity"]):
            raise Invalid(ETHNICITY_NOT_LISTED, "ethnicity")  # the list of registration, on every route


class UpdateUnitProfileCommand(UpdateProfileCommand):
    editable, fixed, required, model = UNIT_EDITABLE, UNIT_FIXED, ("contact_name",), Unit

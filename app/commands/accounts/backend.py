"""Admin creates the backend accounts: a bureau (人社局) bound to a region, a committee office
(评委会) bound to its committee (SPEC §1)."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.commands.accounts.create import new_user
from app.commands.accounts.password import check_new_password
from app.commands.base import BaseCommand
from app.commands.errors import Invalid
from app.extensions import db
from app.models.accounts import BackendBinding
from app.models.catalog import Committee, Region
from app.security import roles
from app.security.validators import EMAIL_RE, LOGIN_NAME_RE
from app.services import audit

BACKEND_ROLES = (roles.BUREAU, roles.COMMITTEE)


class CreateBackendAccountCommand(BaseCommand):
    def __init__(self, *, username: str, real_name: str, email: str, role: str, region_id: int | None,
                 committee_id: int | None, password: str, confirm: str):
        self.username, self.real_name = (username or "").strip(), (real_name or "").strip()
        self.email, self.role = (email or "").strip().lower(), role
        self.region_id, self.committee_id = region_id, committee_id
        self.password, self.confirm = password or "", confirm or ""
        self.region = self.committee = None

    def validate(self) -> None:
        user_model = current_app.appbuilder.sm.user_model
        if not LOGIN_NAME_RE.match(self.username):
            raise Invalid(_l("4 to 32 letters, digits or underscores, starting with a letter"), "username")
        if db.session.execute(select(user_model.id).where(
                func.lower(user_model.username) == self.username.lower())).first():
            raise Invalid(_l("This login name is taken"), "username")
        if not self.real_name:
            raise Invalid(_l("This field is required"), "real_name")
        if not EMAIL_RE.match(self.email):
            raise Invalid(_l("Enter a valid e-mail address"), "email")
        if db.session.execute(select(user_model.id).where(func.lower(user_model.email) == self.email)).first():
            raise Invalid(_l("This e-mail address is used by another account"), "email")
        if self.role not in BACKEND_ROLES:
            raise Invalid(_l("Choose HR bureau or review committee"), "role")
        self.region = db.session.get(Region, self.region_id) if self.region_id else None
        if self.region is None:
            raise Invalid(_l("Choose the region the account works for"), "region_id")
        if self.role == roles.COMMITTEE:
            self.committee = db.session.get(Committee, self.committee_id) if self.committee_id else None
            if self.committee is None:
                raise Invalid(_l("A committee account needs its committee"), "committee_id")
        check_new_password(self.password, self.confirm, self.username, field="password",
                           differ=_l("The two passwords differ"))

    def run(self):
        self.validate()
        user = new_user(username=self.username, real_name=self.real_name, email=self.email, role_name=self.role,
                        password=self.password)
        db.session.add(BackendBinding(user_id=user.id, region=self.region, committee=self.committee))
        audit.record("backend_account_created", object_type="user", object_id=user.id, to_state=self.role,
                     opinion=self.region.full_name + (f" / {self.committee.name}" if self.committee else ""))
        return user

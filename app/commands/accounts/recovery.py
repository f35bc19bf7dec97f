"""找回用户名或密码. A one-time code by SMS or e-mail resets a forgotten password; real name
and ID number show a forgotten login name, masked.

Answers never tell whether an account exists: a code request for an unknown login name, or for an
account without a mobile, looks the same from outside as a real one.

A refused code or look-up still leaves its trace (the wrong try counted, the audit row), so those two
commands commit what they recorded and raise the refusal afterwards (see `_recorded`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.clock import utcnow
from app.commands.accounts.password import check_new_password, set_password
from app.commands.base import BaseCommand, transaction
from app.commands.errors import CommandError, Invalid, NotAllowed
from app.extensions import db
from app.models.accounts import AccountSecurity, Person, RecoveryCode
from app.models.units import Unit
from app.security import sessions
from app.security.validators import mask_id_number, normalize_id_number, parse_id_number
from app.services import audit, notify

CHANNELS = ("sms", "email")
CODE_LENGTH = 6
_CODE_RE = re.compile(r"^[0-9]{6}$")


def mask_login_name(username: str) -> str:
    """wangwu → wa****u: enough for the owner to recognise, too little to log in with."""
    if len(username) <= 3:
        return username[:1] + "****"
    return username[:2] + "****" + username[-1:]


def _code_hash(user_id: int, code: str) -> str:
    key = current_app.secret_key.encode()
    return hmac.new(key, f"recovery:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _wrong_code() -> Invalid:
    """One answer for a wrong, used, expired or void code and for a login name without an account,
    so the answers cannot tell a real account from an unknown one."""
    return Invalid(_l("The code is wrong or no longer valid; check it, or request a new code "
                           "(a code is void after %(n)d wrong tries)",
                           n=current_app.config["RECOVERY_MAX_TRIES"]), "code")


def _find_active_user(login_name: str):
    if not login_name or "\x00" in login_name:  # PostgreSQL refuses NUL in text: no such account
        return None
    user_model = current_app.appbuilder.sm.user_model
    user = db.session.execute(
        select(user_model).where(func.lower(user_model.username) == login_name.lower())
    ).scalars().first()
    return user if user is not None and user.is_active else None


def _mobile_of(user) -> str | None:
    """Individuals receive SMS on Person.mobile, units on Unit.mobile; others have none."""
    for model in (Person, Unit):
        mobile = db.session.execute(select(model.mobile).where(model.user_id == user.id)).scalar_one_or_none()
        if mobile:
            return mobile
    return None


def _recorded(attempt):
    """Run `attempt()` in one transaction that is committed even when the attempt is refused: it returns
    (result, refusal) instead of raising, and the refusal is raised once its record is saved. An error
    raised inside still rolls everything back."""
    with transaction():
        result, refusal = attempt()
    if refusal is not None:
        raise refusal
    return result


class RequestRecoveryCodeCommand(BaseCommand):
    """Page 1: send a fresh code, voiding the earlier unused ones of the account."""

    def __init__(self, login_name: str, channel: str):
        self.login_name = (login_name or "").strip()
        self.channel = channel or ""

    def validate(self) -> None:
        if not self.login_name:
            raise Invalid(_l("This field is required"), "username")
        if self.channel not in CHANNELS:
            raise Invalid(_l("Choose SMS or e-mail"), "channel")

    def run(self) -> None:
        self.validate()
        user = _find_active_user(self.login_name)
        recipient = None
        if user is not None:
            recipient = _mobile_of(user) if self.channel == "sms" else (user.email or None)
        if recipient is None:
            audit.record("password_reset_requested", actor=None, object_type="user",
                         object_id=user.id if user else "",
                         opinion=f"{self.channel}: " + ("no address" if user else "unknown or inactive account"))
            return
        now = utcnow()
        minutes = current_app.config["RECOVERY_CODE_MINUTES"]
        db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None), RecoveryCode.expires_at > now)
            .values(expires_at=now)
        )
        code = "".join(secrets.choice("0123456789") for _i in range(CODE_LENGTH))
        db.session.add(RecoveryCode(user_id=user.id, channel=self.channel, code_hash=_code_hash(user.id, code),
                                    created_at=now, expires_at=now + dt.timedelta(minutes=minutes),
                                    failed_tries=0))
        app_name = current_app.config["APP_NAME"]
        if self.channel == "sms":
            notify.send_sms(recipient, _("[%(app)s] Your password recovery code is %(code)s, valid for %(n)d "
                                         "minutes. If you did not ask for it, ignore this message.",
                                         app=app_name, code=code, n=minutes))
        else:
            notify.send_email(
                recipient, _("[%(app)s] Password recovery code", app=app_name),
                _("Hello %(name)s,\n\nYou asked to reset the password of the account %(username)s of %(app)s.\n"
                  "Your code is %(code)s. It is valid for %(n)d minutes and can be used once.\n\n"
                  "If you did not ask for it, ignore this e-mail: your password stays unchanged.",
                  name=user.first_name or user.username, username=user.username, app=app_name,
                  code=code, n=minutes))
        audit.record("password_reset_requested", actor=None, object_type="user", object_id=user.id,
                     opinion=self.channel)


class ResetPasswordCommand:
    """Page 2: a right, fresh, unused code sets the new password and unlocks the account. Not a
    BaseCommand: a refused code is recorded and counted before the refusal is raised (`_recorded`)."""

    def __init__(self, login_name: str, code: str, new_password: str, confirm: str):
        self.login_name = (login_name or "").strip()
        # full-width digits (typed with a Chinese IME) and blanks are accepted
        self.code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", code or ""))
        self.new, self.confirm = new_password or "", confirm or ""
        self.user = None
        self.row: RecoveryCode | None = None

    def validate(self) -> None:
        """What was typed; nothing is looked up or written."""
        if not _CODE_RE.match(self.code):
            raise Invalid(_l("Enter the 6-digit code you received"), "code")
        check_new_password(self.new, self.confirm, self.login_name, field="new_password")

    def run(self):
        self.validate()
        return _recorded(self._attempt)

    def _attempt(self) -> tuple[object, CommandError | None]:
        refusal = self._check_code()
        return (None, refusal) if refusal is not None else (self._reset(), None)

    def _check_code(self) -> Invalid | None:
        """The refusal of this code (recorded: audit row, wrong try counted), or None when it is right."""
        self.user = _find_active_user(self.login_name)
        if self.user is None:
            # the same work as a wrong code of a real account: one audit row and a commit
            audit.record("password_reset_failed", actor=None, object_type="user", object_id="",
                         opinion="unknown or inactive account")
            return _wrong_code()
        self.row = row = db.session.execute(
            select(RecoveryCode).where(RecoveryCode.user_id == self.user.id)
            .order_by(RecoveryCode.created_at.desc(), RecoveryCode.id.desc()).limit(1)
        ).scalar_one_or_none()
        max_tries = current_app.config["RECOVERY_MAX_TRIES"]
        if row is None:
            return _wrong_code()
        right = hmac.compare_digest(row.code_hash, _code_hash(self.user.id, self.code))
        if row.used_at is not None or row.failed_tries >= max_tries or row.expires_at <= utcnow():
            audit.record("password_reset_failed", actor=None, object_type="user", object_id=self.user.id,
                         opinion="used, void or expired code")
            return _wrong_code()
        if right:
            return None
        # one atomic UPDATE per wrong code, so parallel guesses cannot exceed the limit
        tries = db.session.execute(
            update(RecoveryCode).where(RecoveryCode.id == row.id)
            .values(failed_tries=RecoveryCode.failed_tries + 1)
            .returning(RecoveryCode.failed_tries)
        ).scalar_one()
        audit.record("password_reset_failed", actor=None, object_type="user", object_id=self.user.id,
                     opinion=f"wrong code {tries}/{max_tries}")
        return _wrong_code()

    def _reset(self):
        now = utcnow()
        # claim the code atomically: of two parallel resets with the same code only one wins
        claimed = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.id == self.row.id, RecoveryCode.used_at.is_(None),
                   RecoveryCode.expires_at > now,
                   RecoveryCode.failed_tries < current_app.config["RECOVERY_MAX_TRIES"])
            .values(used_at=now)
        ).rowcount
        if claimed != 1:
            raise _wrong_code()  # nothing of this attempt is kept
        user = self.user
        set_password(user, self.new)
        # the owner has proven control of the mobile or mailbox: lift a lock, end every session
        db.session.execute(
            update(AccountSecurity).where(AccountSecurity.user_id == user.id)
            .values(failed_logins=0, locked_until=None)
        )
        sessions.end_all(user.id)  # page sessions and API tokens alike
        audit.record("password_reset", actor=None, object_type="user", object_id=user.id,
                     opinion=self.row.channel)
        return user


class FindLoginNameCommand:
    """忘记用户名: an individual's real name and ID number give the login name, masked. Not a
    BaseCommand: every look-up leaves its audit row, the refused ones too (`_recorded`)."""

    def __init__(self, real_name: str, id_number: str):
        self.real_name = (real_name or "").strip()
        self.id_number = normalize_id_number(id_number)

    def validate(self) -> None:
        if not self.real_name:
            raise Invalid(_l("This field is required"), "real_name")
        try:
            parse_id_number(self.id_number)
        except ValueError as err:
            raise Invalid(err.args[0], "id_number") from None

    def run(self) -> str:
        self.validate()
        return _recorded(self._look_up)

    def _look_up(self) -> tuple[str | None, CommandError | None]:
        person = None
        if "\x00" not in self.real_name:  # PostgreSQL refuses NUL in text: no such person
            person = db.session.execute(
                select(Person).where(Person.id_number == self.id_number, Person.real_name == self.real_name)
            ).scalar_one_or_none()
        user = person.user if person is not None else None
        found = user is not None and user.is_active
        deactivated = user is not None and not user.is_active
        outcome = "found" if found else "deactivated" if deactivated else "not found"
        audit.record("login_name_lookup", actor=None, object_type="user",
                     object_id=user.id if user is not None else "",
                     opinion=f"{mask_id_number(self.id_number)} {outcome}")
        if deactivated:
            # the ID number stays taken by this account, so say where it is instead of "nothing found"
            return None, NotAllowed(_l("The account %(name)s of this ID number has been deactivated; please ask "
                                       "the administrator to reactivate it", name=mask_login_name(user.username)))
        if not found:
            return None, Invalid(_l("No matching account was found; please check the name and ID number"))
        return mask_login_name(user.username), None

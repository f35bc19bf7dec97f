"""A locally drawn image captcha: no outside service, one answer per image, used once.

The challenge lives in the database, not in the signed session cookie: the cookie only names it,
and checking deletes the row, so replaying a cookie with a known answer finds nothing to pass.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from captcha.image import ImageCaptcha
from flask import current_app, session
from sqlalchemy import delete, select

from app.clock import utcnow
from app.commands.base import transactional
from app.extensions import db
from app.models.guards import CaptchaChallenge

_ALPHABET = "ABCDEFHJKMNPRSTUVWXYZ2345678"  # no 0/O, 1/I/L, 9/g look-alikes
_LENGTH = 4
_SESSION_KEY = "captcha_id"


def _digest(challenge_id: str, text: str) -> str:
    key = current_app.secret_key.encode()
    return hmac.new(key, f"captcha:{challenge_id}:{text.upper()}".encode(), hashlib.sha256).hexdigest()


def enabled() -> bool:
    return bool(current_app.config["CAPTCHA_ENABLED"])


def _random_text() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))


@transactional
def new_image() -> bytes:
    """Draw a new challenge for this session; the one it replaces is void."""
    now = utcnow()
    old = session.pop(_SESSION_KEY, None)
    db.session.execute(delete(CaptchaChallenge).where(
        (CaptchaChallenge.expires_at <= now) | (CaptchaChallenge.id == (old or ""))))
    text = _random_text()
    challenge_id = secrets.token_urlsafe(24)
    minutes = current_app.config["CAPTCHA_MINUTES"]
    db.session.add(CaptchaChallenge(id=challenge_id, answer_digest=_digest(challenge_id, text),
                                    expires_at=now + dt.timedelta(minutes=minutes)))
    session[_SESSION_KEY] = challenge_id
    return ImageCaptcha(width=140, height=50).generate(text).getvalue()


@transactional
def check(answer: str | None) -> bool:
    """Consume this session's challenge: right or wrong, the same image cannot be tried twice."""
    if not enabled():
        return True
    challenge_id = session.pop(_SESSION_KEY, None)
    if not challenge_id or not isinstance(challenge_id, str):
        return False
    expected = db.session.execute(
        select(CaptchaChallenge.answer_digest).where(CaptchaChallenge.id == challenge_id,
                                                     CaptchaChallenge.expires_at > utcnow())
    ).scalar_one_or_none()
    # the DELETE is the single use: of two requests replaying one cookie only one removes the row
    removed = db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.id == challenge_id)).rowcount
    if removed != 1 or not expected or not answer:
        return False
    return secrets.compare_digest(expected, _digest(challenge_id, answer.strip()))


@transactional
def grant_pass(purpose: str) -> None:
    """After a solved captcha, one later step of the same form may go without a new one (the
    registration's confirmation). Kept server-side like the challenge, so a saved cookie replays
    nothing: the pass is a row, used once."""
    if not enabled():
        return
    pass_id = secrets.token_urlsafe(24)
    minutes = current_app.config["CAPTCHA_MINUTES"]
    db.session.add(CaptchaChallenge(id=pass_id, answer_digest=_digest(pass_id, f"pass:{purpose}"),
                                    expires_at=utcnow() + dt.timedelta(minutes=minutes)))
    session[f"captcha_pass_{purpose}"] = pass_id


@transactional
def use_pass(purpose: str) -> bool:
    if not enabled():
        return True
    pass_id = session.pop(f"captcha_pass_{purpose}", None)
    if not pass_id or not isinstance(pass_id, str):
        return False
    removed = db.session.execute(delete(CaptchaChallenge).where(
        CaptchaChallenge.id == pass_id, CaptchaChallenge.expires_at > utcnow(),
        CaptchaChallenge.answer_digest == _digest(pass_id, f"pass:{purpose}"))).rowcount
    return removed == 1

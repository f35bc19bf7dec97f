"""A locally drawn image captcha (A3): no outside service, one answer per image, used once."""
from __future__ import annotations

import hashlib
import secrets

from captcha.image import ImageCaptcha
from flask import current_app, session

_ALPHABET = "ABCDEFHJKMNPRSTUVWXYZ2345678"  # no 0/O, 1/I/L, 9/g look-alikes
_LENGTH = 4


def _digest(text: str) -> str:
    return hashlib.sha256((current_app.secret_key + text.upper()).encode()).hexdigest()


def enabled() -> bool:
    return bool(current_app.config["CAPTCHA_ENABLED"])


def _random_text() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))


def new_image() -> bytes:
    text = _random_text()
    session["captcha"] = _digest(text)
    return ImageCaptcha(width=140, height=50).generate(text).getvalue()


def check(answer: str | None) -> bool:
    """Consume the current captcha: right or wrong, the same image cannot be tried twice."""
    if not enabled():
        return True
    expected = session.pop("captcha", None)
    return bool(expected and answer and secrets.compare_digest(expected, _digest(answer.strip())))

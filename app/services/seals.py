"""印章印模: the issuer's seal image, a PNG with transparency, checked by its content with Pillow and
kept outside the web root under a random name; printed on the certificate as a data: URI."""
from __future__ import annotations

import base64
import io
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from app.extensions import db
from app.models.certificates import IssuerSeal

MIN_SIDE, MAX_SIDE = 100, 2000


class SealRejected(ValueError):
    """The file is not a usable seal image; the message says why (a lazy string)."""


def folder() -> Path:
    return Path(current_app.config["CERT_SEAL_DIR"])


def check_seal(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG with transparent pixels, or SealRejected. The name and the declared type
    say nothing; the content decides."""
    from flask_babel import lazy_gettext as _l

    if not data:
        raise SealRejected(_l("Choose the seal image file"))
    if len(data) > current_app.config["CERT_SEAL_MAX_BYTES"]:
        raise SealRejected(_l("The seal image may be at most %(kb)d KB",
                              kb=current_app.config["CERT_SEAL_MAX_BYTES"] // 1024))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if kind != "PNG":
                raise SealRejected(_l("The seal image must be a PNG file"))
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise SealRejected(_l("The seal image must be between %(a)d and %(b)d pixels wide and high",
                                      a=MIN_SIDE, b=MAX_SIDE))
            alpha = image.convert("RGBA").getchannel("A")
            low, _high = alpha.getextrema()
    except SealRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise SealRejected(_l("The seal image must be a PNG file")) from None
    if low == 255:
        raise SealRejected(_l("The seal image needs a transparent background (PNG with transparency)"))
    return width, height


def seal_of(kind: str, issuer_id: int) -> IssuerSeal | None:
    return db.session.execute(select(IssuerSeal).where(IssuerSeal.issuer_kind == kind,
                                                       IssuerSeal.issuer_id == issuer_id)).scalar_one_or_none()


def seal_data_uri(kind: str, issuer_id: int) -> str | None:
    seal = seal_of(kind, issuer_id)
    if seal is None:
        return None
    path = folder() / seal.stored_name
    if not path.is_file():
        return None
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")

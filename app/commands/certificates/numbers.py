"""Certificate numbers and verification codes.

A number is the issuer's region code, the year and a sequence (`371000` `2026` `000042`). The sequence
comes from one counter row per region and year, created if missing (a concurrent creator is not an
error) and incremented by one atomic `UPDATE … SET last = last + 1 RETURNING last`: the row lock that
UPDATE takes on PostgreSQL (and SQLite's single writer) makes two issues wait for each other, never
read the same value. The lock is held to the end of the issuing transaction, so a rolled-back issue
gives back nothing but a gap."""
from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.certificates import CertificateCounter

# 32 characters, without the look-alikes 0/O and 1/I
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def next_number(region_code: str, year: int) -> str:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(CertificateCounter).values(region_code=region_code, year=year, last=0)
                       .on_conflict_do_nothing())
    last = db.session.execute(
        update(CertificateCounter)
        .where(CertificateCounter.region_code == region_code, CertificateCounter.year == year)
        .values(last=CertificateCounter.last + 1).returning(CertificateCounter.last)).scalar_one()
    return f"{region_code}{year:04d}{last:06d}"


def new_verify_code() -> str:
    length = max(10, int(current_app.config.get("CERT_VERIFY_CODE_LENGTH", 12)))
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))

"""Queries of the public side of certificates: verification look-ups (one statement whatever is wrong, so a
mismatch of name, ID number or code costs the same), the holder's verification log, the bureau's queues of
historical registrations and reissue requests (its region and below)."""
from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload

from app.daos.actors import bureau_region_ids
from app.models.certificate_requests import HistoricalRegistration, ReissueRequest, VerificationLog
from app.models.certificates import Certificate

MAX_LISTED = 50  # certificates of one person shown at once


def normalise_id_number(value: str | None) -> str:
    return (value or "").strip().upper()[:32]


def normalise_name(value: str | None) -> str:
    return (value or "").strip()[:64]


def normalise_key(value: str | None) -> str:
    return (value or "").strip()[:32]


def by_holder(name: str, id_number: str, key: str = "") -> Select:
    """The certificates of name + ID number, or the one of them whose code or number is `key`."""
    query = (select(Certificate).options(joinedload(Certificate.replaced_by))
             .where(Certificate.holder_name == name, Certificate.holder_id_number == id_number))
    if key:
        query = query.where(or_(Certificate.verify_code == key.upper(), Certificate.number == key))
    return query.order_by(Certificate.published_on.desc(), Certificate.id.desc()).limit(MAX_LISTED)


def by_number_and_code(number: str, code: str) -> Select:
    """The certificate the QR code names: its number and its verification code both match."""
    return (select(Certificate).options(joinedload(Certificate.replaced_by))
            .where(Certificate.number == number, Certificate.verify_code == code.upper()).limit(1))


def _holder(column, person_id: int | None):
    """The rows of one holder; none at all for an account that is no applicant (person_id None)."""
    return column == person_id if person_id is not None else false()


def holder_log(person_id: int | None) -> Select:
    """The verifications of the certificates of one holder (who looked), newest first."""
    return (select(VerificationLog).join(Certificate, VerificationLog.certificate_id == Certificate.id)
            .options(joinedload(VerificationLog.certificate))
            .where(_holder(Certificate.person_id, person_id)))


def own_certificates(person_id: int | None) -> Select:
    """The holder's certificates, for 证书补办/换发 (newest first, a handful)."""
    return (select(Certificate).where(_holder(Certificate.person_id, person_id))
            .order_by(Certificate.published_on.desc(), Certificate.id.desc()).limit(MAX_LISTED))


def historical_queue(user) -> Select:
    return (select(HistoricalRegistration)
            .where(HistoricalRegistration.region_id.in_(bureau_region_ids(user))))


def reissue_queue(user) -> Select:
    return select(ReissueRequest).where(ReissueRequest.region_id.in_(bureau_region_ids(user)))


def own_historical(person_id: int | None) -> Select:
    return select(HistoricalRegistration).where(_holder(HistoricalRegistration.person_id, person_id))


def own_reissues(person_id: int | None) -> Select:
    return select(ReissueRequest).where(_holder(ReissueRequest.person_id, person_id))

"""Queries of the public side of certificates: verification look-ups (one statement whatever is wrong, so a
mismatch of name, ID number or code costs the same), the holder's verification log, registrations, reissue
requests and their files, the bureau's queues of historical registrations and reissue requests (its region and
below) with the files of a queued request."""
from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload

from app.daos import paging
from app.daos.actors import bureau_region_ids
from app.extensions import db
from app.models.certificate_requests import HistoricalRegistration, ReissueRequest, RequestFile, VerificationLog
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


LISTED_REQUESTS = 100  # the holder's registrations or reissue requests shown at once


def _holder_id(holder) -> int | None:
    return holder.id if holder is not None else None


def holder_registrations(holder) -> list[HistoricalRegistration]:
    """The historical registrations of `holder` (the signed-in person, or None: none) with their level,
    newest first."""
    return list(db.session.execute(own_historical(_holder_id(holder))
                                   .options(joinedload(HistoricalRegistration.level))
                                   .order_by(HistoricalRegistration.submitted_at.desc())
                                   .limit(LISTED_REQUESTS)).scalars())


def holder_reissues(holder) -> tuple[list[Certificate], list[ReissueRequest]]:
    """The certificates of `holder` (None: none) that may be reissued, and their reissue requests with the
    old and new certificate, newest first."""
    person_id = _holder_id(holder)
    certificates = list(db.session.execute(own_certificates(person_id)).scalars())
    requests = list(db.session.execute(own_reissues(person_id).options(
        joinedload(ReissueRequest.certificate), joinedload(ReissueRequest.new_certificate))
        .order_by(ReissueRequest.submitted_at.desc()).limit(LISTED_REQUESTS)).unique().scalars())
    return certificates, requests


def holder_certificate(holder, certificate_id: int) -> Certificate | None:
    """One certificate of `holder`, or None (unknown, or someone else's)."""
    return db.session.execute(own_certificates(_holder_id(holder)).where(
        Certificate.id == certificate_id)).scalar_one_or_none()


def holder_request_file(holder, file_id: int) -> RequestFile | None:
    """One PDF that `holder` uploaded with a registration or a reissue request, or None."""
    person_id = _holder_id(holder)
    return db.session.execute(select(RequestFile).where(RequestFile.id == file_id, or_(
        RequestFile.historical_id.in_(select(HistoricalRegistration.id).where(
            _holder(HistoricalRegistration.person_id, person_id))),
        RequestFile.reissue_id.in_(select(ReissueRequest.id).where(
            _holder(ReissueRequest.person_id, person_id)))))).scalar_one_or_none()


QUEUES = {HistoricalRegistration: historical_queue, ReissueRequest: reissue_queue}
FILE_OWNERS = {HistoricalRegistration: RequestFile.historical_id, ReissueRequest: RequestFile.reissue_id}


def queued_page(model, user, status: str, source) -> paging.Page:
    """One page (oldest first) of the requests of `model` in the queue of the bureau `user` (its region and
    below), of one status when given, with the holder and the region (and the old certificate of a reissue)."""
    query = QUEUES[model](user)
    if status:
        query = query.where(model.status == status)
    options = [joinedload(model.person), joinedload(model.region)]
    if model is ReissueRequest:
        options.append(joinedload(ReissueRequest.certificate))
    return paging.paginate(query, key=model.submitted_at, id_col=model.id, ascending=True, source=source,
                           options=options)


def queued_request(model, user, row_id: int):
    """One request of `model` in the queue of the bureau `user`, or None."""
    return db.session.execute(QUEUES[model](user).where(model.id == row_id)).scalar_one_or_none()


def request_files(row) -> list[RequestFile]:
    """The PDFs of a request the caller has already found in its queue (`queued_request`)."""
    return list(db.session.execute(select(RequestFile).where(FILE_OWNERS[type(row)] == row.id)
                                   .order_by(RequestFile.id)).scalars())


def request_file(row, file_id: int) -> RequestFile | None:
    """One PDF of a request the caller has already found in its queue, or None."""
    return db.session.execute(select(RequestFile).where(
        RequestFile.id == file_id, FILE_OWNERS[type(row)] == row.id)).scalar_one_or_none()

"""Row access to certificates: the holder sees their own, a unit the certificates it issued, a committee
its own, the bureau those issued in its region and the regions below; every list, download, action and
API read goes through `visible_certificates()`, and the commands check rows with `managed_certificates()`."""
from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from app.daos.actors import bureau_region_ids, committee_id_of, person_account_of, role_names, unit_of
from app.extensions import db
from app.models.accounts import Person
from app.models.certificates import Certificate
from app.security import roles
from app.workflow.states import Status


def managed_certificates(user) -> Select:
    """SELECT of the certificates `user` manages (证书库管理: 下载, 注销, export): the unit's own issues,
    the committee's, the bureau's region and below. The holder manages none."""
    names = role_names(user)
    conditions = []
    if roles.ADMIN in names:
        return select(Certificate)
    if roles.UNIT in names:
        unit = unit_of(user)
        if unit is not None:
            conditions.append((Certificate.issuer_kind == "unit") & (Certificate.issuer_id == unit.id))
    committee_id = committee_id_of(user)
    if committee_id is not None:
        conditions.append((Certificate.issuer_kind == "committee") & (Certificate.issuer_id == committee_id))
    region_ids = bureau_region_ids(user)
    if region_ids:
        conditions.append(Certificate.region_id.in_(region_ids))
    return select(Certificate).where(or_(*conditions) if conditions else false())


def own_certificates(user) -> Select:
    """SELECT of the signed-in holder's own certificates (职称证书在线领取)."""
    person = person_account_of(user)
    return select(Certificate).where(Certificate.person_id == person.id if person is not None else false())


def visible_certificates(user) -> Select:
    """Own or managed: what `user` may read (the holder's copy and the issuer side's copy)."""
    managed = managed_certificates(user).whereclause
    own = own_certificates(user).whereclause
    if managed is None:  # Admin: all
        return select(Certificate)
    return select(Certificate).where(or_(managed, own))


def visible_certificate(user, certificate_id: int) -> Certificate | None:
    """One certificate `user` may read, or None (unknown, or not theirs to read)."""
    return db.session.execute(visible_certificates(user).where(Certificate.id == certificate_id)).scalar_one_or_none()


def managed_by_ids(user, ids) -> list[Certificate]:
    """The certificates among `ids` that `user` manages, newest first (the library's row actions)."""
    return list(db.session.execute(managed_certificates(user).where(Certificate.id.in_(ids))
                                   .order_by(Certificate.id.desc())).scalars())


def managed_export(user, status: str, limit: int) -> list[Certificate]:
    """The certificates `user` manages, of one status when given, newest first, at most `limit`."""
    query = managed_certificates(user)
    if status:
        query = query.where(Certificate.status == status)
    return list(db.session.execute(query.order_by(Certificate.id.desc()).limit(limit)).scalars())


def holds(user, certificate: Certificate) -> bool:
    """Whether `user` is the certificate's holder (the holder's copy shows the full ID number)."""
    person = person_account_of(user)
    return person is not None and certificate.person_id == person.id


def by_application(user, applications) -> dict[int, Certificate]:
    """{application id: its newest certificate} of the holder's own rows (我的申报信息's 证书状态): one
    query, and none when no application of the page has reached 已发证 (only those have certificates)."""
    ids = [a.id for a in applications if a.status == Status.CERTIFIED.value]
    if not ids:
        return {}
    rows = db.session.execute(select(Certificate).where(
        Certificate.application_id.in_(ids),
        Certificate.person_id.in_(select(Person.id).where(Person.user_id == user.id)))
        .order_by(Certificate.id)).scalars()
    return {c.application_id: c for c in rows}

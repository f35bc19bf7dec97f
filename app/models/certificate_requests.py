"""What a holder asks the bureau about a certificate: 历史职称数据登记 (an old certificate entered as printed,
seed 004 ch. 4), 职称证书补办/换发 (a reissue, ch. 5), the PDFs uploaded with either, and the log of every
public verification (who looked). Their states are in app/workflow/request_states.py."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.accounts import Person
from app.models.catalog import Region, TitleLevel
from app.models.certificates import Certificate
from app.models.offices import AcceptingOffice


class HolderRequest:
    """What both requests keep: the holder, the region whose bureau decides, the state (submitted → approved |
    rejected) with the reason of 不通过, when it was submitted and decided and by whom, and the version each
    decision compares and sets (app/commands/certificates/request_files.DecideRequest)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr
    def person(cls) -> Mapped[Person]:
        return relationship()

    @declared_attr
    def region(cls) -> Mapped[Region]:
        return relationship()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


class HistoricalRegistration(HolderRequest, Model):
    """历史职称数据登记: an old certificate as printed; approved by the bureau of `region` (the issuer's), it
    becomes a Certificate row of business "historical" (verifiable, no PDF)."""

    __tablename__ = "historical_registration"
    # the bureau's queue: its regions, by status, oldest first
    __table_args__ = (Index("ix_historical_queue", "region_id", "status", "submitted_at", "id"),)
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_number: Mapped[str] = mapped_column(String(32))
    series_name: Mapped[str] = mapped_column(String(128))
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"))
    level: Mapped[TitleLevel] = relationship()
    title_name: Mapped[str] = mapped_column(String(128))
    specialty_name: Mapped[str] = mapped_column(String(128), default="")
    certificate_no: Mapped[str] = mapped_column(String(32), index=True)
    issuing_body: Mapped[str] = mapped_column(String(128))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    certificate: Mapped[Certificate | None] = relationship()


class ReissueRequest(HolderRequest, Model):
    """职称证书补办/换发 of one of the holder's certificates; approved by the bureau of `region`, a new
    electronic certificate is issued and the old one becomes 已换发."""

    __tablename__ = "certificate_reissue"
    __table_args__ = (Index("ix_reissue_queue", "region_id", "status", "submitted_at", "id"),)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    certificate: Mapped[Certificate] = relationship(foreign_keys=[certificate_id])
    review_kind: Mapped[str] = mapped_column(String(16))  # review 评审 | initial 初定
    kind: Mapped[str] = mapped_column(String(16))  # reissue 补办 | replace 换发
    office_id: Mapped[int] = mapped_column(ForeignKey("accepting_office.id"))
    office: Mapped[AcceptingOffice] = relationship()
    new_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    new_certificate: Mapped[Certificate | None] = relationship(foreign_keys=[new_certificate_id])


class RequestFile(Model):
    """A PDF uploaded with a historical registration or a reissue request (one of the two is set)."""

    __tablename__ = "certificate_request_file"
    __table_args__ = (CheckConstraint("(historical_id IS NULL) <> (reissue_id IS NULL)",
                                      name="ck_request_file_one_owner"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    historical_id: Mapped[int | None] = mapped_column(ForeignKey("historical_registration.id"), index=True)
    reissue_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_reissue.id"), index=True)
    material: Mapped[str] = mapped_column(String(32))  # which document (app/workflow/request_states.MATERIALS)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class VerificationLog(Model):
    """One public verification (证书查询, the QR link, the API, 验真 of a PDF): when, from which address
    (masked), by which unit when a signed-in unit asked, and which certificate it showed (none: not found)."""

    __tablename__ = "certificate_verification"
    __table_args__ = (Index("ix_verification_certificate", "certificate_id", "at", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    certificate: Mapped[Certificate | None] = relationship()
    channel: Mapped[str] = mapped_column(String(8))  # page | qr | api | pdf
    address: Mapped[str] = mapped_column(String(64), default="")  # masked
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    unit_name: Mapped[str] = mapped_column(String(128), default="")

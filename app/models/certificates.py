"""The electronic title certificate (职称证书), the per-region number counter and the issuer's seal (印章印模).

A certificate keeps the holder, the title and the issuer as they were on the day it was issued (names are
copied, so a later rename of a unit or catalog entry does not change a printed certificate). Its states
(有效 / 已注销 / 已换发) and their transitions are in app/workflow/certificate_states.py."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import Person
from app.models.catalog import Region, Specialty, Title, TitleLevel, TitleSeries

# one valid certificate per application (a reissue sets the old one to 已换发 first)
_VALID = "status = 'valid' AND application_id IS NOT NULL"


class Certificate(Model):
    __tablename__ = "certificate"
    __table_args__ = (
        Index("uq_certificate_valid_per_application", "application_id", unique=True,
              sqlite_where=text(_VALID), postgresql_where=text(_VALID)),
        # 证书库管理: the bureau's region list and the unit's own issues, newest first, a page at a time
        Index("ix_certificate_region_list", "region_id", "status", "issued_at", "id"),
        Index("ix_certificate_issuer_list", "issuer_kind", "issuer_id", "issued_at", "id"),
        Index("ix_certificate_region_year", "region_id", "year", "series_id", "level_id"),
        # 职称证书在线领取 and verification by name + ID number
        Index("ix_certificate_person", "person_id", "issued_at"),
        Index("ix_certificate_holder", "holder_id_number", "holder_name"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # 证书编号: region code + year + sequence
    verify_code: Mapped[str] = mapped_column(String(16))  # 在线验证码
    # the holder as issued
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    person: Mapped[Person | None] = relationship()
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_number: Mapped[str] = mapped_column(String(32))
    # the title as issued
    business: Mapped[str] = mapped_column(String(16))  # review | recognition | initial | historical ...
    series_id: Mapped[int | None] = mapped_column(ForeignKey("title_series.id"))
    series: Mapped[TitleSeries | None] = relationship()
    series_name: Mapped[str] = mapped_column(String(128))
    level_id: Mapped[int | None] = mapped_column(ForeignKey("title_level.id"))
    level: Mapped[TitleLevel | None] = relationship()
    level_name: Mapped[str] = mapped_column(String(32))
    title_id: Mapped[int | None] = mapped_column(ForeignKey("title.id"))
    title: Mapped[Title | None] = relationship()
    title_name: Mapped[str] = mapped_column(String(128))
    specialty_id: Mapped[int | None] = mapped_column(ForeignKey("specialty.id"))
    specialty: Mapped[Specialty | None] = relationship()
    specialty_name: Mapped[str] = mapped_column(String(128), default="")
    # the issuing body: a bureau (its region), a committee, a unit with final-review authority, an office
    issuer_kind: Mapped[str] = mapped_column(String(16))  # bureau | committee | unit | office
    issuer_id: Mapped[int] = mapped_column(Integer)
    issuer_name: Mapped[str] = mapped_column(String(128))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))  # the issuer's region: the bureau's rows
    region: Mapped[Region] = relationship()
    published_on: Mapped[dt.date] = mapped_column(Date)  # 公布时间
    year: Mapped[int] = mapped_column(Integer)  # the year of 公布时间 (the list's filter)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    # 有效 / 已注销 / 已换发
    status: Mapped[str] = mapped_column(String(16), default="valid", index=True)
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id])
    replaced_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the application it came from; none for a record that did not come from an application here
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    application = relationship("Application")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version (R6)

    def __str__(self) -> str:
        return self.number


class CertificateCounter(Model):
    """The last sequence number given for one region and year; incremented by one atomic UPDATE."""

    __tablename__ = "certificate_counter"
    __table_args__ = (UniqueConstraint("region_code", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class IssuerSeal(Model):
    """印章印模: the seal image a bureau or an authorised unit uploads (PNG with transparency), printed on
    its certificates. One current seal per issuer; uploading again replaces the file."""

    __tablename__ = "issuer_seal"
    __table_args__ = (UniqueConstraint("issuer_kind", "issuer_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer_kind: Mapped[str] = mapped_column(String(16))
    issuer_id: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.catalog import Committee, Region, TitleLevel, TitleSeries


class Unit(Model):
    """An employer, competent or reporting department (单位). The name is fixed after registration."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), unique=True)
    user: Mapped[User | None] = relationship()
    name: Mapped[str] = mapped_column(String(128), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship()
    contact_name: Mapped[str] = mapped_column(String(64))
    mobile: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    # U1/U2: only units with 职称申报权限 appear in the applicants' unit picker
    has_permission: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18))  # set when the permission is granted (U1)

    def __str__(self) -> str:
        return self.name


# U1: 职称申报权限申请. One row per unit, edited again after 审核不通过 and submitted again.
PERMISSION_STATUSES = ("draft", "submitted", "approved", "rejected")
# U3/U4: a reporting path is 未生效 (pending) until its target approves (生效) or rejects it.
PATH_STATUSES = ("pending", "effective", "rejected")
# U5: 终审权限申请
AUTHORITY_STATUSES = ("pending", "approved", "rejected")


class UnitRegistryEntry(Model):
    """单位名录: (统一社会信用代码, 单位名称) pairs imported by the bureau; a permission application whose
    code and name match one is granted at once (U1)."""

    __tablename__ = "unit_registry_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UnitPermissionApplication(Model):
    """职称申报权限申请 (U1) of one unit."""

    __tablename__ = "unit_permission_application"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), unique=True)
    unit: Mapped[Unit] = relationship()
    credit_code: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(128))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship()
    unit_type: Mapped[str] = mapped_column(String(32))
    competent_department: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    auto_granted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    reason: Mapped[str | None] = mapped_column(String(500))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version (R6)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Reviewed:
    """A record a reviewer decides (pending → approved | rejected, the reason of a 不通过, who and when),
    its `version` compared-and-set on every change (R6)."""

    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


_EFFECTIVE = "status = 'effective'"
_OPEN = "status IN ('pending', 'approved')"


class ReportingPath(Reviewed, Model):
    """上报路径 (U3): from a unit to a superior unit (单位路径) or to a committee (评委会路径) for one
    business set, series and level. At most one effective path per (unit, business set, series, level)."""

    __tablename__ = "reporting_path"
    __table_args__ = (
        CheckConstraint("(target_unit_id IS NULL) <> (committee_id IS NULL)", name="ck_reporting_path_one_target"),
        Index("uq_reporting_path_effective", "unit_id", "business_set", "series_id", "level_id", unique=True,
              sqlite_where=text(_EFFECTIVE), postgresql_where=text(_EFFECTIVE)),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    business_set: Mapped[str] = mapped_column(String(16))  # review | recognition (with transfer) | initial
    series_id: Mapped[int] = mapped_column(ForeignKey("title_series.id"))
    series: Mapped[TitleSeries] = relationship()
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"))
    level: Mapped[TitleLevel] = relationship()
    target_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    target_unit: Mapped[Unit | None] = relationship(foreign_keys=[target_unit_id])
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    committee: Mapped[Committee | None] = relationship()

    @property
    def kind(self) -> str:
        return "committee" if self.committee_id else "unit"


class FinalAuthorityApplication(Reviewed, Model):
    """终审权限申请 (U5): for recognition (职称认定证书发放) or transfer-in (外地调入终审), reviewed by the
    bureau of the unit's region. An approved row is the authority itself."""

    __tablename__ = "final_authority_application"
    __table_args__ = (
        # one pending or approved authority per business and certificate level (issue item 15)
        Index("uq_final_authority_open_level", "unit_id", "business", "level_id", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    unit: Mapped[Unit] = relationship()
    business: Mapped[str] = mapped_column(String(16))  # recognition | transfer
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"))  # 证书等级
    level: Mapped[TitleLevel] = relationship()
    organisation: Mapped[str] = mapped_column(String(128))  # 所属机构
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship()

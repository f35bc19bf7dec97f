from __future__ import annotations

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalog import Region


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

    def __str__(self) -> str:
        return self.name

"""报送受理部门 (seed 004 ch. 2): the office that receives an initial-title (职称初定) application, chosen by
the applicant's region and the series applied for."""
from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalog import Region, TitleSeries


class AcceptingOffice(Model):
    __tablename__ = "accepting_office"
    __table_args__ = (UniqueConstraint("name", "region_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)  # serves it and the regions below
    region: Mapped[Region] = relationship()
    series_id: Mapped[int | None] = mapped_column(ForeignKey("title_series.id"), index=True)  # None: every series
    series: Mapped[TitleSeries | None] = relationship()

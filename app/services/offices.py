"""报送受理部门 (seed 004 ch. 2): which offices receive an initial-title application from a region for a series.
Used by the picker, the base form and the command that checks the choice, so they agree."""
from __future__ import annotations

from sqlalchemy import Select, or_, select

from app.models.offices import AcceptingOffice
from app.services.catalog import region_and_ancestors


def accepting_offices(region_id: int, series_id: int) -> Select:
    """Offices of the region or a region above it, for this series or for every series."""
    return (select(AcceptingOffice)
            .where(AcceptingOffice.region_id.in_(region_and_ancestors(region_id)),
                   or_(AcceptingOffice.series_id.is_(None), AcceptingOffice.series_id == series_id))
            .order_by(AcceptingOffice.name, AcceptingOffice.id).limit(200))

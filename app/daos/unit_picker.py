"""The unit picker's query (U2): units with 职称申报权限 whose name contains the text typed. On
PostgreSQL the `%…%` pattern is answered by the trigram index on unit.name (migration jj02b7d3f9a2)."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from app.models.catalog import Region
from app.models.units import Unit


def like_pattern(text: str) -> str:
    """`%text%` with the LIKE wildcards in `text` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def permitted_units(text: str) -> Select:
    """SELECT id, name, region, parent region of the matching units, by name then id."""
    parent = aliased(Region)
    query = (select(Unit.id, Unit.name, Region.name.label("region"), parent.name.label("parent"))
             .join(Region, Unit.region_id == Region.id)
             .outerjoin(parent, Region.parent_id == parent.id)
             .where(Unit.has_permission.is_(True)))
    if text:
        query = query.where(Unit.name.like(like_pattern(text), escape="\\"))
    return query.order_by(Unit.name, Unit.id)

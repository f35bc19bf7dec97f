"""Queries of the catalog administration: the committees of some regions (the region scope of the catalog
lists), and whether a catalog row with the same values already exists. The choices a form offers are in
app/daos/catalog_choices.py."""
from __future__ import annotations

from sqlalchemy import Select, select

from app.extensions import db
from app.models.catalog import Committee


def committee_ids_in(region_ids) -> Select:
    """SELECT of the ids of the committees of the regions `region_ids`."""
    return select(Committee.id).where(Committee.region_id.in_(region_ids))


def same_entry_exists(model, values: dict, own_id=None) -> bool:
    """Whether another row of `model` has these values ({field name: value or related row}; an empty value
    matches an empty column, so general rows without committee or year are unique too). `own_id`: the row
    being edited, which does not count. Reads without flushing the form's pending change."""
    conditions = []
    for name, value in values.items():
        column = getattr(model, name if name in model.__table__.c else f"{name}_id")
        value = getattr(value, "id", value)
        conditions.append(column.is_(None) if value in (None, "") else column == value)
    if own_id is not None:
        conditions.append(model.id != int(own_id))
    with db.session.no_autoflush:
        return db.session.execute(select(model.id).where(*conditions).limit(1)).first() is not None

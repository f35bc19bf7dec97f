"""Who may change which catalog rows. Admin: everything. Bureau: the committees whose region is
its region or below, their periods and their business-section overrides; the province-wide rows
(levels, series, titles, specialties, methods, cases, general business sections) only when the
bureau is bound to a province. Views call these in their hooks; the import command calls them too."""
from __future__ import annotations

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from app.commands.errors import Invalid, NotAllowed
from app.daos.actors import bureau_region_id, role_names
from app.extensions import db
from app.models.catalog import Region
from app.security import roles
from app.services.catalog import region_and_below


def is_admin(user) -> bool:
    return roles.ADMIN in role_names(user)


def bureau_region(user) -> Region | None:
    region_id = bureau_region_id(user)
    return db.session.get(Region, region_id) if region_id is not None else None


def scope_region_ids(user) -> list[int] | None:
    """The region ids whose committees `user` may maintain; None means every region (Admin).
    Kept for the request, as a list page asks for it for the count and for the rows."""
    cache = g.setdefault("_catalog_scope", {}) if has_app_context() else {}
    if user.id not in cache:
        if is_admin(user):
            cache[user.id] = None
        else:
            region = bureau_region(user)
            cache[user.id] = region_and_below(region.id) if region is not None else []
    return cache[user.id]


def may_edit_province_wide(user) -> bool:
    if is_admin(user):
        return True
    region = bureau_region(user)
    return region is not None and region.parent_id is None


def check_province_wide(user) -> None:
    if not may_edit_province_wide(user):
        raise NotAllowed(_l("Only the administrator or the provincial bureau may change this catalog"))


def check_region(user, region_id: int | None, field: str = "region") -> None:
    ids = scope_region_ids(user)
    if region_id is None:
        raise Invalid(_l("Please choose the region"), field=field)
    if ids is not None and region_id not in ids:
        raise NotAllowed(_l("You may only maintain committees of your own region or the regions below it"),
                         field=field)


def check_committee(user, committee, field: str = "committee") -> None:
    if committee is None:
        raise Invalid(_l("Please choose the committee"), field=field)
    check_region(user, committee.region_id, field=field)


def references_of(item) -> list[str]:
    """Names of the tables that still point at `item` (any foreign key to its table), so a delete can be
    refused with a clear message instead of failing in the database."""
    table = item.__table__
    found = []
    for other in table.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.name == "id":
                column = fk.parent
                if db.session.execute(select(exists().where(column == item.id))).scalar():
                    found.append(other.name)
    return sorted(set(found))


def check_not_referenced(item) -> None:
    used = references_of(item)
    if used:
        labels = "、".join(str(TABLE_LABELS.get(name, name)) for name in used)
        raise NotAllowed(_l("This row is still used by: %(tables)s; it cannot be deleted", tables=labels))


TABLE_LABELS = {
    "title": _l("Titles"), "specialty": _l("Specialties"), "committee": _l("Committees"),
    "committee_period": _l("Application periods"), "business_section": _l("Business sections"),
    "application": _l("Applications"), "backend_binding": _l("Backend accounts"),
    "title_series": _l("Title series list"), "title_level": _l("Title levels"),
}

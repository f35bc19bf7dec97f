"""Who may change the region tree and what a change must keep true. Regions decide every bureau's
scope (its region and the regions below it), so only Admin changes them: a bureau's scope never
depends on data the bureau can edit. The view's hooks call this; it raises before anything is saved."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands.catalog.scope import is_admin
from app.commands.errors import Invalid, NotAllowed

# the level a region's parent must have; a province has none
PARENT_LEVEL = {"province": None, "city": "province", "district": "city"}
LEVELS = tuple(PARENT_LEVEL)


def check_may_change_regions(user) -> None:
    if not is_admin(user):
        raise NotAllowed(_l("Only the administrator may change the regions"))


def check_region_row(user, region) -> None:
    """Admin only; a known level; the parent one level up (so no loops and no province under a city)."""
    check_may_change_regions(user)
    if region.level not in PARENT_LEVEL:
        raise Invalid(_l("Please choose the level: province, city or district"), field="level")
    wanted = PARENT_LEVEL[region.level]
    parent = region.parent
    if wanted is None and parent is not None:
        raise Invalid(_l("A province has no parent region"), field="parent")
    if wanted is not None and (parent is None or parent.level != wanted):
        raise Invalid(_l("The parent region must be one level up (a city under a province, "
                              "a district under a city)"), field="parent")

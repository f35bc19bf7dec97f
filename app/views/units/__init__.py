"""Unit pages (SPEC §4), one module per feature: permission (U1 职称申报权限申请 and its review), registry
(单位名录), paths (U3/U4 上报路径 and their review by the target) and authority (U5 终审权限). The review
queues are FAB ModelViews (queues.py); rules and row checks live in app/commands/units and app/daos/units."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.views.units.authority import FinalAuthorityReviewView, FinalAuthorityView
from app.views.units.paths import PathReviewView, ReportingPathView
from app.views.units.permission import UnitPermissionReviewView, UnitPermissionView
from app.views.units.registry import UnitRegistryView


def register(appbuilder) -> None:
    """Add this package's views and menus (menu names are `menu_access` resources in roles.py)."""
    for view in (UnitPermissionView, UnitPermissionReviewView, UnitRegistryView, ReportingPathView, PathReviewView,
                 FinalAuthorityView, FinalAuthorityReviewView):
        appbuilder.add_view_no_menu(view())

    unit = dict(category="UnitAffairs", category_label=_l("Unit affairs"), category_icon="fa-building-o")
    appbuilder.add_link("PermissionApplication", label=_l("Permission to apply for titles"),
                        href="/units/permission/", icon="fa-key", **unit)
    appbuilder.add_link("UnitPaths", label=_l("Unit path applications"), href="/units/paths/?kind=unit",
                        icon="fa-sitemap", **unit)
    appbuilder.add_link("CommitteePaths", label=_l("Committee path applications"),
                        href="/units/paths/?kind=committee", icon="fa-university", **unit)
    appbuilder.add_link("UnitPathReview", label=_l("Unit path review"), href="/units/path-review/",
                        icon="fa-check-square-o", **unit)
    appbuilder.add_link("FinalAuthority", label=_l("Final review authority"), href="/units/final-authority/",
                        icon="fa-certificate", **unit)

    bureau = dict(category="PermissionManagement", category_label=_l("Permission management"),
                  category_icon="fa-shield")
    appbuilder.add_link("PermissionReview", label=_l("Review of permission applications"),
                        href="/units/permission-review/", icon="fa-check", **bureau)
    appbuilder.add_link("FinalAuthorityReviews", label=_l("Review of final review authority"),
                        href="/units/final-authority-review/", icon="fa-certificate", **bureau)
    appbuilder.add_link("UnitRegistry", label=_l("Unit registry"), href="/units/registry/", icon="fa-list", **bureau)

    committee = dict(category="CommitteeAffairs", category_label=_l("Committee affairs"), category_icon="fa-gavel")
    appbuilder.add_link("CommitteePathReview", label=_l("Committee path review"), href="/units/path-review/",
                        icon="fa-check-square-o", **committee)

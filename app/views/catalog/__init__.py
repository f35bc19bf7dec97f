"""Catalog maintenance for Admin and the bureau and the business configuration: one FAB ModelView per
table on the "Catalog" permissions (who may change which row: app/commands/catalog/scope.py), and the
CSV import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.views.catalog.base import CatalogModelView
from app.views.catalog.committees import BusinessSectionView, CommitteePeriodView, CommitteeView
from app.views.catalog.csv_import import CatalogImportView
from app.views.catalog.tables import (ApplicationMethodView, ExceptionalCaseView, SpecialtyView, TitleLevelView,
                                      TitleSeriesView, TitleView)

__all__ = ["CatalogModelView", "register"]

MENUS = [
    (TitleLevelView, "TitleLevels", _l("Title levels"), "fa-signal"),
    (TitleSeriesView, "TitleSeries", _l("Title series list"), "fa-sitemap"),
    (TitleView, "Titles", _l("Titles"), "fa-certificate"),
    (SpecialtyView, "Specialties", _l("Specialties"), "fa-tags"),
    (ApplicationMethodView, "ApplicationMethods", _l("Application methods"), "fa-list"),
    (ExceptionalCaseView, "ExceptionalCases", _l("Exceptional cases"), "fa-star"),
    (CommitteeView, "Committees", _l("Committees"), "fa-university"),
    (CommitteePeriodView, "CommitteePeriods", _l("Application periods"), "fa-calendar"),
    (BusinessSectionView, "BusinessSections", _l("Business modules"), "fa-th-list"),
]


def register(appbuilder) -> None:
    """Add this module's views and menus."""
    catalogs = dict(category="Catalogs", category_label=_l("Catalogs"), category_icon="fa-book")
    for view, name, label, icon in MENUS:
        appbuilder.add_view(view(), name, label=label, icon=icon, **catalogs)
    appbuilder.add_view(CatalogImportView(), "CatalogImport", label=_l("Batch import"), icon="fa-upload",
                        **catalogs)

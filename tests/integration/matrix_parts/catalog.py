from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

_CATALOG_VIEWS = ("TitleLevelView", "TitleSeriesView", "TitleView", "SpecialtyView", "ApplicationMethodView",
                  "ExceptionalCaseView", "CommitteeView", "CommitteePeriodView", "BusinessSectionView")

MATRIX: dict[str, set[str]] = {
    "PickerView.": {IND, UNIT, BUR, ADM},
    "CatalogImportView.": {BUR, ADM},
}
for _view in _CATALOG_VIEWS:
    MATRIX.update({f"{_view}.{m}": {BUR, ADM} for m in ("list", "show", "add", "edit", "delete")})
    # no bulk actions are defined, and downloads are not offered
    MATRIX.update({f"{_view}.{m}": NOBODY for m in ("action", "action_post", "download")})

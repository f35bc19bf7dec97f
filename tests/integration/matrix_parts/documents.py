from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # P10 forms: every signed-in role may ask; the row check (get_visible_or_404) answers 404 for others' rows
    "DocumentView.": {IND, UNIT, BUR, COM, ADM},
}

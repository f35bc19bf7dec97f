from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # R1/R2 数据审核: the unit's queue and review page
    "DataReviewView.": {UNIT, ADM},
}

from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # U1 the unit's permission application; the bureau's review and the unit registry
    "UnitPermissionView.": {UNIT, ADM},
    "UnitPermissionReviewView.": {BUR, ADM},
    "UnitRegistryView.": {BUR, ADM},
    # U3/U4 reporting paths: the requesting unit; the target unit or committee
    "ReportingPathView.": {UNIT, ADM},
    "PathReviewView.": {UNIT, COM, ADM},
    # U5 final-review authority
    "FinalAuthorityView.": {UNIT, ADM},
    "FinalAuthorityReviewView.": {BUR, ADM},
}

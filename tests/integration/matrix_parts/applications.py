from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # the applicant's own applications; Admin holds every permission but owns none (404s / empty lists)
    "ApplicationView.": {IND, ADM},
    "MyApplicationApi.": {IND, ADM},
}

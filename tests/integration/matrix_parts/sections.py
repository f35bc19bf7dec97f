from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # the applicant's own section pages; Admin holds every permission but owns none (404s)
    "SectionView.": {IND, ADM},
    # downloads: everyone who may see the application (row access decides, 404 otherwise)
    "AttachmentView.": {IND, UNIT, BUR, COM, ADM},
}

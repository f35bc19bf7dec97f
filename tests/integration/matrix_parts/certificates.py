from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # 下载 / 预览 of one certificate: every signed-in role may ask; visible_certificates answers 404 for others'
    "CertificateView.": {IND, UNIT, BUR, COM, ADM},
    # 证书库管理: the issuing side (the unit with final-review authority, the bureau)
    "CertificateLibraryView.": {UNIT, BUR, ADM},
    "RecognitionIssueView.": {UNIT, BUR, ADM},
    "SealView.": {UNIT, BUR, ADM},
    "RevokeView.": {UNIT, BUR, ADM},
    # 职称证书在线领取: the holder
    "MyCertificatesView.": {IND, ADM},
    "CertificateApi.": {IND, UNIT, BUR, COM, ADM},
}

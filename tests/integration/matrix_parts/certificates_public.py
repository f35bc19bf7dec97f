from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # 证书查询 and 验真: public, no login (rate-limited per address)
    "VerifyView.": EVERYONE, "VerifyApi.": EVERYONE,
    # the holder's 历史职称数据登记, 证书补办/换发, who verified my certificates; rows are the holder's own (404)
    # (Admin holds the permission but is nobody's holder: its lists are empty, its forms 403; the office
    # list is not personal)
    "CertificateRequestView.": {IND}, "CertificateRequestView.offices": {IND, ADM},
    "CertificateRequestView.historical": {IND, ADM}, "CertificateRequestView.reissue": {IND, ADM},
    "CertificateRequestView.verifications": {IND, ADM},
    # the bureau's review of both; rows of its region and below (404 otherwise)
    "CertificateRequestReviewView.": {BUR, ADM},
}

from tests.integration.matrix_parts import ADM, BUR  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # 职称初定 on the 报送受理部门's side: 初定审核 and 证书入库 (初定), by the bureau of the office's region
    "InitialReviewView.": {BUR, ADM},
    "InitialIssueView.": {BUR, ADM},
}

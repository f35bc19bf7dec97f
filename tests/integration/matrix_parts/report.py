from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # R3 数据上报: the unit's report list, the report and the 是否委托评审/单位推荐排序 edits
    "DataReportView.": {UNIT, ADM},
}

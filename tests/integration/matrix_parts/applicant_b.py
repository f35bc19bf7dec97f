from tests.integration.matrix_parts import ADM, BUR, IND, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # 报送受理部门 of 职称初定 by region and series (new-applicant issue item 8): like the other pickers
    "PickerView.offices": {IND, UNIT, BUR, ADM},
}

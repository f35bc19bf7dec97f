import pytest

from app.workflow.states import Status, TransitionNotAllowed, allowed_actions, transition


def test_applicant_submits_a_draft():
    assert transition("submit", "draft", "Individual") == Status.PENDING_UNIT


def test_a_unit_cannot_submit_for_the_applicant():
    with pytest.raises(TransitionNotAllowed):
        transition("submit", "draft", "Unit")


def test_submitted_application_cannot_be_cancelled():
    with pytest.raises(TransitionNotAllowed):
        transition("cancel", "pending_unit", "Individual")


def test_returned_application_can_only_be_resubmitted_by_the_applicant():
    # to the unit chain, or (职称初定) to the accepting office again; never cancelled
    assert allowed_actions("returned", "Individual") == ["resubmit", "resubmit_to_office"]


def test_the_accepting_office_passes_or_returns_for_the_bureau_only():
    assert transition("submit_to_office", "draft", "Individual") == Status.PENDING_OFFICE
    assert allowed_actions("pending_office", "Bureau") == ["office_pass", "office_return"]
    assert transition("office_pass", "pending_office", "Bureau") == Status.FINAL_PASSED
    assert transition("certify", "final_passed", "Bureau") == Status.CERTIFIED
    for role in ("Unit", "Committee", "Individual"):
        assert allowed_actions("pending_office", role) == []


def test_passed_not_reported_may_still_be_returned():
    assert "return" in allowed_actions("passed_unit", "Unit")


def test_saving_a_section_marked_not_passed_lifts_the_mark():
    from app.workflow.states import SectionStatus, section_transition

    assert section_transition("fill", "rejected", "Individual") == SectionStatus.FILLED
    assert section_transition("clear", "rejected", "Individual") == SectionStatus.EMPTY


@pytest.mark.parametrize("action,source,role", [
    ("reject", "filled", "Individual"),    # only a unit marks 不通过
    ("fill", "empty", "Unit"),             # a unit never writes the applicant's sections
    ("clear_mark", "filled", "Unit"),      # there is no mark to clear
])
def test_section_transitions_outside_the_table_are_refused(action, source, role):
    from app.workflow.states import section_transition

    with pytest.raises(TransitionNotAllowed):
        section_transition(action, source, role)


@pytest.mark.parametrize("status,base,sections", [
    ("draft", True, "all"), ("returned", False, "rejected"), ("pending_unit", False, ""),
    ("cancelled", False, ""), ("certified", False, ""), ("no-such-status", False, ""),
])
def test_what_the_applicant_may_edit_in_each_status(status, base, sections):
    from app.workflow.states import base_form_editable, sections_editable

    assert base_form_editable(status) is base
    assert sections_editable(status) == sections

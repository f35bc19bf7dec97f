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
    assert allowed_actions("returned", "Individual") == ["resubmit"]


def test_passed_not_reported_may_still_be_returned():
    assert "return" in allowed_actions("passed_unit", "Unit")

"""The committee's state tables (app/workflow/committee_states.py) and its rows in the application lifecycle."""
from __future__ import annotations

import pytest

from app.workflow import committee_states as cs
from app.workflow.states import TransitionNotAllowed, transition


def test_meeting_assignment_and_pool_tables():
    assert cs.target("meeting", "draw", "preparing") == cs.MeetingStatus.REVIEWING
    assert cs.target("meeting", "close_review", "reviewing") == cs.MeetingStatus.REVIEW_CLOSED
    assert cs.target("assignment", "decline", "drawn") == cs.AssignmentStatus.DECLINED
    assert cs.target("expert", "retire", "in_pool") == cs.ExpertStatus.OUT_OF_POOL
    for kind, action, source in (("meeting", "draw", "reviewing"), ("meeting", "add_application", "reviewing"),
                                 ("assignment", "decline", "accepted"), ("assignment", "accept", "declined"),
                                 ("expert", "enroll", "in_pool"), ("meeting", "draw", "no-such-state")):
        with pytest.raises(cs.NotAllowedHere):
            cs.target(kind, action, source)
    assert sorted(cs.allowed("assignment", "accepted")) == ["declare_conflict"]


def test_the_committee_moves_an_application_and_nobody_else_does():
    assert transition("eligibility_pass", "pending_committee", "Committee").value == "eligible"
    assert transition("eligibility_return", "eligible", "Committee").value == "pending_unit"
    assert transition("add_to_meeting", "eligible", "Committee").value == "in_meeting"
    for action, source, role in (("eligibility_pass", "pending_committee", "Unit"),
                                 ("add_to_meeting", "pending_committee", "Committee"),
                                 ("eligibility_return", "in_meeting", "Committee"),
                                 ("eligibility_pass", "pending_committee", "Expert")):
        with pytest.raises(TransitionNotAllowed):
            transition(action, source, role)

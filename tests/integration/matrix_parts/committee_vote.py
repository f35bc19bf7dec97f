from tests.integration.matrix_parts import ADM, ANON, BUR, COM, EXP, IND, UNIT

MATRIX: dict[str, set[str]] = {
    # M2–M4 the vote, publicity and the results: the office's pages; the expert's ballot
    "VotePageView.": {COM, ADM},
    "ExpertVoteView.": {EXP, ADM},
    # the counts of closed votes, read only: the office and the bureau of the committee's region
    "VoteResultsView.": {COM, BUR, ADM},
    # M3 评审结果公示 and its objection form: public, no login
    "PublicityView.": {ANON, IND, UNIT, BUR, COM, EXP, ADM},
}

from tests.integration.matrix_parts import ADM, BUR, COM, EXP, IND, NOBODY, UNIT

MATRIX: dict[str, set[str]] = {
    # M1 资格复审: the office decides; the bureau of the committee's region reads
    "EligibilityView.list": {COM, BUR, ADM}, "EligibilityView.show": {COM, BUR, ADM},
    "EligibilityView.units": {COM, BUR, ADM},
    "EligibilityView.decide": {COM, ADM},
    # M1a 评委管理, M1b 评审会议: the office only
    "ExpertPoolPageView.": {COM, ADM}, "MeetingPageView.": {COM, ADM},
    # M1c 信息评审: the expert only
    "ExpertReviewView.": {EXP, ADM},
    # the same lists as FAB ModelViews (list, show, actions); nothing is added, edited or deleted there
    "CommitteeApplicationsModelView.list": {COM, BUR, ADM}, "CommitteeApplicationsModelView.show": {COM, BUR, ADM},
    "ExpertPoolModelView.list": {COM, ADM}, "ExpertPoolModelView.show": {COM, ADM},
    "MeetingModelView.list": {COM, ADM}, "MeetingModelView.show": {COM, ADM},
    "ExpertTaskModelView.list": {EXP, ADM}, "ExpertTaskModelView.show": {EXP, ADM},
    "CommitteeApplicationsModelView.": NOBODY, "ExpertPoolModelView.": NOBODY, "MeetingModelView.": NOBODY,
    "ExpertTaskModelView.": NOBODY,
    # X5: the same rules over JSON
    "CommitteeApplicationApi.get_list": {COM, BUR, ADM}, "CommitteeApplicationApi.get": {COM, BUR, ADM},
    "CommitteeApplicationApi.info": {COM, BUR, ADM}, "CommitteeApplicationApi.eligibility": {COM, ADM},
    "CommitteeApplicationApi.add_to_meeting": {COM, ADM},
    "ExpertTaskApi.": {EXP, ADM},
    # an expert downloads the attachments of the applications they review (the row check is the DAO's)
    "AttachmentView.download": {IND, UNIT, BUR, COM, EXP, ADM},
}

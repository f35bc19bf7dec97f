"""M2–M4 for the office: a meeting's vote page (签到 and quorum, open the vote, paper ballot counts, close it,
the counts and results), publicity (publish, the objections to handle) and making the results final. Counts
only: the page never shows who voted what. Thin: app/commands/committee/vote.py and publicity.py."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.commands.committee.publicity import (FinalizeResultsCommand, HandleObjectionCommand,
                                              PublishResultsCommand)
from app.commands.committee.vote import (CloseVoteCommand, OpenVoteCommand, PaperCountsCommand,
                                         RecordAttendanceCommand)
from app.commands.errors import CommandError
from app.daos import committee as dao
from app.daos import committee_vote as votes
from app.views.answers import loaded, raise_http
from app.views.committee import CsrfForm
from app.workflow.committee_states import MeetingStatus, label

ROUTES = ("vote", "attendance", "open_vote", "paper", "close_vote", "publish", "objection", "finalize")


class VotePageView(BaseView):
    route_base = "/committee/meetings"
    class_permission_name = "CommitteeMeeting"
    method_permission_name = {name: "write" for name in ROUTES}

    @expose("/<int:meeting_id>/vote")
    @has_access
    def vote(self, meeting_id: int, errors=None, form_error=None, status_code=200):
        meeting = loaded(dao.office_meeting, g.user, meeting_id)
        record = votes.vote_of(meeting.id)
        results = votes.results(meeting.id)
        closed = meeting.status in (MeetingStatus.VOTE_CLOSED.value, MeetingStatus.PUBLICITY.value,
                                    MeetingStatus.FINALIZED.value)
        return self.render_template(
            "committee/vote.html", meeting=meeting, record=record, results=results, closed=closed,
            seats=votes.seated(meeting.id), present=votes.present_ids(meeting.id),
            objections=votes.objections(meeting.id) if record and record.published_on else [],
            label=label, form=CsrfForm(), errors=errors or {}, form_error=form_error, status=meeting.status,
            title=_("The vote of %(name)s", name=meeting.name)), status_code

    def _post(self, meeting_id: int, run, done: str):
        if not CsrfForm().validate_on_submit():
            return self.vote(meeting_id, form_error=_("The form has expired; please submit it again"), status_code=400)
        try:
            run()
        except CommandError as err:
            raise_http(err)
            return self.vote(meeting_id, errors={err.field: str(err.message)} if err.field else {},
                             form_error=str(err.message), status_code=400)
        flash(done, "success")
        return redirect(url_for("VotePageView.vote", meeting_id=meeting_id))

    @expose("/<int:meeting_id>/attendance", methods=["POST"])
    @has_access
    def attendance(self, meeting_id: int):
        ids = request.form.getlist("present")
        return self._post(meeting_id, lambda: RecordAttendanceCommand(g.user, meeting_id, ids).run(),
                          _("The attendance was recorded"))

    @expose("/<int:meeting_id>/open-vote", methods=["POST"])
    @has_access
    def open_vote(self, meeting_id: int):
        return self._post(meeting_id, lambda: OpenVoteCommand(g.user, meeting_id).run(), _("The vote is open"))

    @expose("/<int:meeting_id>/paper/<int:application_id>", methods=["POST"])
    @has_access
    def paper(self, meeting_id: int, application_id: int):
        counts = {key: request.form.get(key, "") for key in ("agree", "against", "abstain")}
        return self._post(meeting_id, lambda: PaperCountsCommand(g.user, meeting_id, application_id, counts).run(),
                          _("The counts of the paper ballot were saved"))

    @expose("/<int:meeting_id>/close-vote", methods=["POST"])
    @has_access
    def close_vote(self, meeting_id: int):
        return self._post(meeting_id, lambda: CloseVoteCommand(g.user, meeting_id).run(),
                          _("The vote is closed and the results are computed"))

    @expose("/<int:meeting_id>/publish", methods=["POST"])
    @has_access
    def publish(self, meeting_id: int):
        return self._post(meeting_id, lambda: PublishResultsCommand(g.user, meeting_id).run(),
                          _("The results are published on the public page"))

    @expose("/<int:meeting_id>/objections/<int:objection_id>", methods=["POST"])
    @has_access
    def objection(self, meeting_id: int, objection_id: int):
        decision, reason = request.form.get("decision", ""), request.form.get("reason", "")
        return self._post(meeting_id, lambda: HandleObjectionCommand(g.user, meeting_id, objection_id, decision,
                                                                     reason).run(),
                          _("The objection was handled"))

    @expose("/<int:meeting_id>/finalize", methods=["POST"])
    @has_access
    def finalize(self, meeting_id: int):
        return self._post(meeting_id, lambda: FinalizeResultsCommand(meeting_id, g.user).run(),
                          _("The results are final; certificates were issued to those who passed"))


def register(appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    from app.views.committee_results import VoteResultsView
    from app.views.expert_vote import ExpertVoteView
    from app.views.publicity import PublicityView

    appbuilder.add_view_no_menu(VotePageView())
    appbuilder.add_view_no_menu(ExpertVoteView())
    appbuilder.add_view_no_menu(PublicityView())
    appbuilder.add_view(VoteResultsView, "VoteResults", label=_l("Vote results"), icon="fa-bar-chart",
                        category="CommitteeReview")

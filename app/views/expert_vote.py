"""M2 the expert's ballot: a present expert votes 同意 / 反对 / 弃权 on each application of the meeting, once.
Thin: app/commands/committee/vote.py."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.commands.committee.vote import CastBallotCommand
from app.commands.errors import CommandError
from app.daos import committee as dao
from app.daos import committee_vote as votes
from app.views.answers import loaded, raise_http
from app.views.committee import CsrfForm
from app.workflow.committee_states import MeetingStatus


class ExpertVoteView(BaseView):
    route_base = "/expert"
    class_permission_name = "ExpertTasks"
    method_permission_name = {"ballot": "read", "cast": "write"}

    @expose("/<int:meeting_id>/vote")
    @has_access
    def ballot(self, meeting_id: int, form_error=None, status_code=200):
        assignment = loaded(dao.own_assignment, g.user, meeting_id)
        present = assignment.id in votes.present_ids(meeting_id)
        return self.render_template(
            "expert/vote.html", meeting=assignment.meeting, present=present,
            applications=dao.meeting_applications(meeting_id) if present else [],
            cast=votes.cast_by(assignment.id), voting=assignment.meeting.status == MeetingStatus.VOTING.value,
            form=CsrfForm(), form_error=form_error, title=_("Vote")), status_code

    @expose("/<int:meeting_id>/vote/<int:application_id>", methods=["POST"])
    @has_access
    def cast(self, meeting_id: int, application_id: int):
        if not CsrfForm().validate_on_submit():
            return self.ballot(meeting_id, form_error=_("The form has expired; please submit it again"),
                               status_code=400)
        try:
            CastBallotCommand(g.user, meeting_id, application_id, request.form.get("choice", "")).run()
        except CommandError as err:
            raise_http(err)
            return self.ballot(meeting_id, form_error=str(err.message), status_code=400)
        flash(_("Your vote was recorded"), "success")
        return redirect(url_for("ExpertVoteView.ballot", meeting_id=meeting_id))

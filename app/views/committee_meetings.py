"""M1b 评审会议: the office's meetings; a meeting's page shows its applications (加入会议 / 移出 while it is
prepared), the draws with who was left out and why, the drawn experts and the online review's progress
(how many finished; the scores only once the online review is closed). Thin: app/commands/committee."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.committee.numbers import is_number
from app.commands.committee.draw import DrawExpertsCommand, RedrawSeatsCommand
from app.commands.committee.meetings import (AddToMeetingCommand, CancelMeetingCommand, CloseReviewCommand,
                                             CreateMeetingCommand, RemoveFromMeetingCommand)
from app.commands.errors import CommandError
from app.daos import committee as dao
from app.daos.actors import committee_id_of
from app.daos import paging
from app.models.applications import Application
from app.models.committee import Meeting
from app.views.acting import or_home
from app.views.answers import loaded, raise_http
from app.views.committee import CsrfForm
from app.views.committee_forms import CommitteeForm
from app.workflow.committee_states import EXCLUSION_REASONS, MeetingStatus, label
from app.workflow.states import Status

MEETING_FIELDS = ("name", "held_on", "place", "expert_count", "specialty", "anonymous")
MEETING_FORM = CommitteeForm("committee/meeting_form.html", _l("New review meeting"), MEETING_FIELDS,
                             CreateMeetingCommand)


class MeetingPageView(BaseView):
    route_base = "/committee/meetings"
    class_permission_name = "CommitteeMeeting"
    method_permission_name = {name: "write" for name in ("list", "new", "show", "choose", "add", "remove", "draw",
                                                         "redraw", "close", "cancel")}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        or_home(committee_id_of(g.user), _("Only a committee office can do this"))
        page = paging.paginate(dao.meetings(g.user), key=Meeting.held_on, id_col=Meeting.id, ascending=False,
                               source=request.args)
        return self.render_template("committee/meetings.html", page=page, rows=page.rows,
                                    args={"per_page": page.per_page}, label=label, title=_("Review meetings"))

    @expose("/new", methods=["GET", "POST"])
    @has_access
    def new(self):
        return MEETING_FORM.handle(self, lambda meeting: (
            _("The meeting was created; add the applications it covers"),
            url_for("MeetingPageView.show", meeting_id=meeting.id)))

    @expose("/<int:meeting_id>")
    @has_access
    def show(self, meeting_id: int, form_error=None, status_code=200):
        meeting = loaded(dao.office_meeting, g.user, meeting_id)
        preparing = meeting.status == MeetingStatus.PREPARING.value
        eligible = None
        if preparing:  # the committee's applications that passed 资格复审 and wait for a meeting
            eligible = paging.paginate(dao.arrived(g.user, status=Status.ELIGIBLE.value), key=Application.submitted_at,
                                       id_col=Application.id, source=request.args, options=dao.page_options())
        closed = meeting.status not in (MeetingStatus.PREPARING.value, MeetingStatus.REVIEWING.value,
                                        MeetingStatus.CANCELLED.value)
        applications = dao.meeting_applications(meeting.id)
        return self.render_template(
            "committee/meeting.html", meeting=meeting, applications=applications,
            names={a.id: a.person.real_name for a in applications},
            eligible=eligible, draws=dao.meeting_draws(meeting), assignments=dao.assignments(meeting.id),
            progress=dao.progress(meeting.id), scores=dao.scores_of(meeting.id) if closed else None,
            reasons=EXCLUSION_REASONS, label=label,
            form=CsrfForm(), form_error=form_error, preparing=preparing, closed=closed,
            args={"per_page": eligible.per_page if eligible else 20}, title=meeting.name), status_code

    def _post(self, meeting_id: int, run, done: str):
        if not CsrfForm().validate_on_submit():
            return self.show(meeting_id, form_error=_("The form has expired; please submit it again"), status_code=400)
        try:
            run()
        except CommandError as err:
            raise_http(err)
            return self.show(meeting_id, form_error=str(err.message))
        flash(done, "success")
        return redirect(url_for("MeetingPageView.show", meeting_id=meeting_id))

    @expose("/choose")
    @has_access
    def choose(self):
        """加入会议 from the list's action: the meetings being prepared, to send the chosen applications to."""
        dao.office_committee(g.user)
        ids = [i for i in (request.args.get("ids") or "").split(",") if is_number(i)][:500]
        return self.render_template("committee/meeting_choose.html", rows=dao.preparing_meetings(g.user), ids=ids,
                                    form=CsrfForm(), title=_("Add to a meeting"))

    @expose("/<int:meeting_id>/add", methods=["POST"])
    @has_access
    def add(self, meeting_id: int):
        ids = request.form.getlist("application_ids")
        return self._post(meeting_id, lambda: AddToMeetingCommand(g.user, meeting_id, ids).run(),
                          _("The applications were added to the meeting"))

    @expose("/<int:meeting_id>/remove/<int:application_id>", methods=["POST"])
    @has_access
    def remove(self, meeting_id: int, application_id: int):
        return self._post(meeting_id, lambda: RemoveFromMeetingCommand(g.user, meeting_id, application_id).run(),
                          _("The application was taken out of the meeting"))

    @expose("/<int:meeting_id>/draw", methods=["POST"])
    @has_access
    def draw(self, meeting_id: int):
        return self._post(meeting_id, lambda: DrawExpertsCommand(g.user, meeting_id).run(),
                          _("The experts were drawn and notified"))

    @expose("/<int:meeting_id>/redraw", methods=["POST"])
    @has_access
    def redraw(self, meeting_id: int):
        return self._post(meeting_id, lambda: RedrawSeatsCommand(g.user, meeting_id).run(),
                          _("The empty seats were drawn again"))

    @expose("/<int:meeting_id>/close", methods=["POST"])
    @has_access
    def close(self, meeting_id: int):
        return self._post(meeting_id, lambda: CloseReviewCommand(g.user, meeting_id).run(),
                          _("The online review is closed"))


    @expose("/<int:meeting_id>/cancel", methods=["POST"])
    @has_access
    def cancel(self, meeting_id: int):
        return self._post(meeting_id, lambda: CancelMeetingCommand(g.user, meeting_id).run(),
                          _("The meeting was cancelled; its applications wait for another meeting"))


def register(appbuilder) -> None:
    appbuilder.add_view(MeetingPageView, "Meetings", label=_l("Review meetings"), icon="fa-calendar-check-o",
                        category="CommitteeReview")

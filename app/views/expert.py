"""M1c 信息评审, the expert's pages: 我的评审任务 (the meetings the expert was drawn for), a meeting's discipline
pledge (评审专家纪律承诺书: accept, decline, or declare a conflict), its applications, and one application
read-only (ID masked; name and unit hidden for 匿名评审) with the score form. Thin: app/commands/committee/review.py."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.committee.review import PLEDGE, AcceptPledgeCommand, DeclineCommand, ScoreCommand
from app.commands.errors import CommandError
from app.daos import committee as dao
from app.models.committee import Assignment
from app.views.answers import marked_fields, raise_http
from app.views.committee import CsrfForm, application_context
from app.workflow.committee_states import AssignmentStatus, MeetingStatus, label


def _own(meeting_id: int) -> Assignment:
    try:
        return dao.own_assignment(g.user, meeting_id)
    except CommandError as err:
        raise_http(err)
        raise


class ExpertReviewView(BaseView):
    route_base = "/expert"
    class_permission_name = "ExpertTasks"
    method_permission_name = {"tasks": "read", "meeting": "read", "application": "read", "answer": "write",
                              "score": "write"}
    default_view = "tasks"

    @expose("/")
    @has_access
    def tasks(self):
        rows = dao.own_tasks(g.user)
        return self.render_template("expert/tasks.html", rows=rows, label=label,
                                    progress=dao.scored_counts([a.id for a in rows
                                                                if a.status == AssignmentStatus.ACCEPTED.value]),
                                    title=_("My review tasks"))

    @expose("/<int:meeting_id>")
    @has_access
    def meeting(self, meeting_id: int, errors=None, form_error=None, status_code=200):
        assignment = _own(meeting_id)
        open_ = assignment.status == AssignmentStatus.ACCEPTED.value and \
            assignment.meeting.status in (MeetingStatus.REVIEWING.value, MeetingStatus.REVIEW_CLOSED.value)
        return self.render_template(
            "expert/meeting.html", assignment=assignment, meeting=assignment.meeting, label=label, pledge=PLEDGE,
            applications=dao.meeting_applications(meeting_id) if open_ else [],
            scores=dao.own_scores(assignment.id) if open_ else {}, form=CsrfForm(), errors=errors or {},
            form_error=form_error, reviewing=assignment.meeting.status == MeetingStatus.REVIEWING.value,
            title=assignment.meeting.name), status_code

    @expose("/<int:meeting_id>/answer", methods=["POST"])
    @has_access
    def answer(self, meeting_id: int):
        action = request.form.get("action", "")
        if not CsrfForm().validate_on_submit():
            return self.meeting(meeting_id, form_error=_("The form has expired; please submit it again"),
                                status_code=400)
        try:
            if action == "accept":
                AcceptPledgeCommand(g.user, meeting_id, request.form.get("agree") == "1").run()
                flash(_("You accepted the discipline pledge; the applications are open"), "success")
            elif action in ("decline", "conflict"):
                DeclineCommand(g.user, meeting_id, request.form.get("reason", ""), conflict=action == "conflict").run()
                flash(_("Your answer was recorded; another expert is drawn for your seat"), "success")
                return redirect(url_for("ExpertReviewView.tasks"))
            else:
                return self.meeting(meeting_id, form_error=_("Choose an answer"), status_code=400)
        except CommandError as err:
            raise_http(err)
            return self.meeting(meeting_id, errors={err.field: str(err.message)} if err.field else {},
                                form_error=str(err.message))
        return redirect(url_for("ExpertReviewView.meeting", meeting_id=meeting_id))

    def _application(self, meeting_id: int, application_id: int, values=None, errors=None, form_error=None,
                     status_code=200):
        try:
            assignment, application = dao.expert_application(g.user, meeting_id, application_id)
        except CommandError as err:
            raise_http(err)
            raise
        own = dao.own_scores(assignment.id).get(application.id)
        if values is None:
            values = {"score": "" if own is None or own.score is None else str(own.score),
                      "opinion": own.opinion if own else "", "conflict": "1" if own and own.conflict else "",
                      "version": str(own.version) if own else ""}
        return self.render_template(
            "expert/application.html", meeting=assignment.meeting, anonymous=assignment.meeting.anonymous,
            values=values, errors=errors or {}, form_error=form_error, form=CsrfForm(),
            reviewing=assignment.meeting.status == MeetingStatus.REVIEWING.value, title=assignment.meeting.name,
            **application_context(application)), status_code

    @expose("/<int:meeting_id>/applications/<int:application_id>")
    @has_access
    def application(self, meeting_id: int, application_id: int):
        return self._application(meeting_id, application_id)

    @expose("/<int:meeting_id>/applications/<int:application_id>/score", methods=["POST"])
    @has_access
    def score(self, meeting_id: int, application_id: int):
        values = {k: request.form.get(k, "") for k in ("score", "opinion", "conflict", "version")}
        if not CsrfForm().validate_on_submit():
            return self._application(meeting_id, application_id, values,
                                     form_error=_("The form has expired; please submit it again"), status_code=400)
        try:
            ScoreCommand(g.user, meeting_id, application_id, values["score"], values["opinion"],
                         conflict=values["conflict"] == "1", seen_version=values["version"]).run()
        except CommandError as err:
            return self._application(meeting_id, application_id, values, *marked_fields(err))
        flash(_("Your review was saved"), "success")
        return redirect(url_for("ExpertReviewView.meeting", meeting_id=meeting_id))


def register(appbuilder) -> None:
    appbuilder.add_view(ExpertReviewView, "MyReviewTasks", label=_l("My review tasks"), icon="fa-tasks",
                        category="ExpertReview", category_label=_l("Expert review"), category_icon="fa-star")

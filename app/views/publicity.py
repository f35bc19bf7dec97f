"""M3 评审结果公示, the public page (no login, linked from the login page): the meetings in publicity with those
who passed (name, unit, title; never an ID number) and the last day, and the objection form (异议: contact,
text, captcha, a rate limit per address). Thin: app/commands/committee/publicity.py."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import gettext as _

from app.commands.committee.publicity import FileObjectionCommand
from app.commands.errors import CommandError
from app.daos import committee_vote as votes
from app.security import captcha, ratelimit
from app.views.answers import raise_http
from app.views.committee import CsrfForm

FIELDS = ("application_id", "contact", "text")


def _passed(meeting_id: int):
    return [r for r in votes.results(meeting_id) if r.final_pass]


class PublicityView(BaseView):
    route_base = "/publicity"
    default_view = "index"

    @expose("/")
    def index(self):
        rows = [(meeting, record, committee, _passed(meeting.id)) for meeting, record, committee in votes.in_publicity()]
        return self.render_template("publicity/index.html", rows=rows, title=_("Review results publicity"))

    def _form(self, meeting_id: int, values=None, errors=None, form_error=None, status_code=200):
        try:
            meeting, record = votes.public_meeting(meeting_id)
        except CommandError as err:
            raise_http(err)
            raise
        return self.render_template("publicity/objection.html", meeting=meeting, record=record,
                                    passed=_passed(meeting.id), values=values or {}, errors=errors or {},
                                    form_error=form_error, form=CsrfForm(), captcha_enabled=captcha.enabled(),
                                    title=_("File an objection")), status_code

    @expose("/<int:meeting_id>/objection", methods=["GET", "POST"])
    def objection(self, meeting_id: int):
        if request.method == "GET":
            return self._form(meeting_id, {"application_id": request.args.get("application_id", "")})
        values = {key: request.form.get(key, "") for key in FIELDS}
        if not CsrfForm().validate_on_submit():
            return self._form(meeting_id, values, form_error=_("The form has expired; please submit it again"),
                              status_code=400)
        if not ratelimit.allowed("objection_per_address", ratelimit.address()):
            return self._form(meeting_id, values, form_error=_("Too many attempts; please try again later"),
                              status_code=429)
        if not captcha.check(request.form.get("captcha")):
            return self._form(meeting_id, values, {"captcha": _("The captcha is wrong; please enter the new one")},
                              status_code=400)
        try:
            FileObjectionCommand(meeting_id, values["application_id"], values["contact"], values["text"]).run()
        except CommandError as err:
            raise_http(err)
            return self._form(meeting_id, values, {err.field: str(err.message)} if err.field else {},
                              None if err.field else str(err.message), status_code=400)
        flash(_("Your objection was received; the committee office will handle it"), "success")
        return redirect(url_for("PublicityView.index"))

"""The office's forms on its own committee (添加评委, 新建会议): the committee, with the specialties of its series
to choose from, beside the fields; a refused submit shows the form again with the messages at the fields."""
from __future__ import annotations

from flask import flash, g, redirect, request

from app.commands.errors import CommandError
from app.daos import committee as dao
from app.views.answers import marked_fields
from app.views.committee import CsrfForm


class CommitteeForm:
    """One such form: its template and title, the fields it posts, the command that takes them
    (`command(user, {field: value})`) and what else the page offers (`extras()`, the form's own choices)."""

    def __init__(self, template: str, title, fields, command, extras=None):
        self.template, self.title, self.fields, self.command = template, title, fields, command
        self.extras = extras or dict

    def render(self, view, values=None, errors=None, form_error=None, status_code=200):
        committee = dao.office_committee(g.user)
        return view.render_template(self.template, committee=committee,
                                    specialties=dao.committee_specialties(committee), values=values or {},
                                    errors=errors or {}, form_error=form_error, form=CsrfForm(),
                                    title=str(self.title), **self.extras()), status_code

    def handle(self, view, done):
        """GET: the empty form. POST: run the command, then `done(row)` gives the message to flash and the
        address to go on to; a refusal shows the form again with what was entered."""
        if request.method == "GET":
            return self.render(view)
        values = {key: request.form.get(key, "") for key in self.fields}
        try:
            row = self.command(g.user, values).run()
        except CommandError as err:
            return self.render(view, values, *marked_fields(err))
        message, url = done(row)
        flash(message, "success")
        return redirect(url)

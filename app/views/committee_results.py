"""M2 the counts of closed votes, read only, for the office and the bureau of the committee's region: how many
同意 / 反对 / 弃权 each application had and its result; never who voted what."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.daos import committee_vote as votes
from app.daos import paging
from app.models.committee import Meeting
from app.views.answers import loaded
from app.workflow.committee_states import label


class VoteResultsView(BaseView):
    route_base = "/committee/results"
    class_permission_name = "CommitteeOffice"
    method_permission_name = {"list": "read", "show": "read"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        page = paging.paginate(votes.decided_meetings(g.user), key=Meeting.held_on, id_col=Meeting.id,
                               source=request.args)
        return self.render_template("committee/results.html", page=page, rows=page.rows, meeting=None,
                                    args={"per_page": page.per_page}, label=label, title=_("Vote results"))

    @expose("/<int:meeting_id>")
    @has_access
    def show(self, meeting_id: int):
        meeting = loaded(votes.decided_meeting, g.user, meeting_id)
        return self.render_template("committee/results.html", meeting=meeting, record=votes.vote_of(meeting.id),
                                    results=votes.results(meeting.id), label=label, title=_("Vote results"))

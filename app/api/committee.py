"""X5 for the committee (M1–M1c): the office's applications (read; 资格复审 and 加入会议 by POST) and the
expert's tasks (read the meetings drawn for, accept the pledge, score), through the same DAO filters and
commands as the pages, so a forged id is a 404 here too. ID numbers are masked; an anonymous meeting's
applications carry no name or unit."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.api import BaseApi, ModelRestApi, expose, safe
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import protect

from app.commands.committee.eligibility import EligibilityPassCommand, EligibilityReturnCommand
from app.commands.committee.meetings import AddToMeetingCommand
from app.commands.committee.review import PLEDGE, AcceptPledgeCommand, ScoreCommand
from app.commands.errors import CommandError
from app.daos import committee as dao
from app.models.applications import Application
from app.models.committee import Assignment
from app.security.validators import mask_id_number
from app.views.answers import api_answer
from app.workflow.committee_states import AssignmentStatus

COLUMNS = ["id", "year", "status", "person.real_name", "level.name", "series.name", "title.name", "specialty.name",
           "unit.name", "submitted_at"]


class _Arrived(BaseFilter):
    name = "Reported to the committee"
    arg_name = None

    def apply(self, query, value):
        return query.filter(Application.id.in_(dao.arrived(g.user).with_only_columns(Application.id)))


def _json_body() -> dict | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def _answer(api, err: CommandError):
    """The JSON answer of a refused command (404, 403, 400, 409), as every API answers it."""
    return api_answer(err)


class CommitteeApplicationApi(ModelRestApi):
    resource_name = "committee_applications"
    class_permission_name = "CommitteeApplicationApi"
    method_permission_name = {"get_list": "get", "get": "get", "info": "info", "eligibility": "post",
                              "add_to_meeting": "post"}
    include_route_methods = {"get", "get_list", "info", "eligibility", "add_to_meeting"}
    allow_browser_login = True
    datamodel = SQLAInterface(Application)
    base_filters = [["id", _Arrived, lambda: None]]
    base_order = ("id", "desc")
    list_columns = show_columns = COLUMNS
    order_columns = ["id", "year", "submitted_at", "status"]
    search_columns = ["year", "status"]
    page_size = 20
    max_page_size = 100

    @expose("/<int:pk>/eligibility", methods=["POST"])
    @protect()
    @safe
    def eligibility(self, pk: int):
        """资格复审: {"action": "pass"} or {"action": "return", "sections": {code: reason}, "opinion": ""}.
        ---
        post:
          responses:
            200:
              description: done; the application's new status
            400:
              description: refused, with the reason per field
            404:
              description: not an application of the office's committee
        """
        data = _json_body()
        if data is None or data.get("action") not in ("pass", "return"):
            return self.response_400(message={"action": ["pass / return"]})
        opinion, seen = str(data.get("opinion") or ""), data.get("seen_status")
        try:
            if data["action"] == "pass":
                application = EligibilityPassCommand(g.user, pk, opinion, seen_status=seen).run()
            else:
                sections = data.get("sections")
                if not isinstance(sections, dict):
                    return self.response_400(message={"sections": ["{code: reason}"]})
                application = EligibilityReturnCommand(g.user, pk, {str(k): str(v or "") for k, v in sections.items()},
                                                       opinion, seen_status=seen).run()
        except CommandError as err:
            return _answer(self, err)
        return self.response(200, id=application.id, status=application.status)

    @expose("/meetings/<int:meeting_id>", methods=["POST"])
    @protect()
    @safe
    def add_to_meeting(self, meeting_id: int):
        """加入会议: {"application_ids": [..]} join a meeting being prepared.
        ---
        post:
          responses:
            200:
              description: added
            400:
              description: refused
            404:
              description: not the office's meeting or application
        """
        data = _json_body()
        ids = data.get("application_ids") if data else None
        if not isinstance(ids, list):
            return self.response_400(message={"application_ids": ["[id, ...]"]})
        try:
            AddToMeetingCommand(g.user, meeting_id, [str(i) for i in ids]).run()
        except CommandError as err:
            return _answer(self, err)
        return self.response(200, meeting_id=meeting_id, added=len(ids))


def _task_json(assignment: Assignment) -> dict:
    m = assignment.meeting
    return {"meeting_id": m.id, "meeting": m.name, "held_on": m.held_on.isoformat(), "place": m.place,
            "meeting_status": m.status, "status": assignment.status, "anonymous": m.anonymous}


def _application_json(application: Application, anonymous: bool, score) -> dict:
    out = {"id": application.id, "year": application.year, "title": application.title.name,
           "specialty": application.specialty.name, "level": application.level.name,
           "id_number": mask_id_number(application.person.id_number),
           "my_score": None if score is None else {"score": score.score, "conflict": score.conflict,
                                                   "opinion": score.opinion, "version": score.version}}
    if not anonymous:
        out.update(name=application.person.real_name, unit=application.unit.name)
    return out


class ExpertTaskApi(BaseApi):
    resource_name = "expert_tasks"
    class_permission_name = "ExpertTaskApi"
    method_permission_name = {"tasks": "get", "meeting": "get", "pledge": "post", "score": "post"}
    allow_browser_login = True

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def tasks(self):
        """我的评审任务: the meetings the signed-in expert was drawn for.
        ---
        get:
          responses:
            200:
              description: the tasks
        """
        return self.response(200, result=[_task_json(a) for a in dao.own_tasks(g.user)])

    @expose("/<int:meeting_id>", methods=["GET"])
    @protect()
    @safe
    def meeting(self, meeting_id: int):
        """One meeting: the discipline pledge to accept while drawn, the applications once it is accepted.
        ---
        get:
          responses:
            200:
              description: the meeting
            404:
              description: not a meeting the expert was drawn for
        """
        try:
            assignment = dao.own_assignment(g.user, meeting_id)
        except CommandError as err:
            return _answer(self, err)
        result = _task_json(assignment)
        if assignment.status == AssignmentStatus.DRAWN.value:
            result["pledge"] = [str(clause) for clause in PLEDGE]
        if assignment.status == AssignmentStatus.ACCEPTED.value:
            scores = dao.own_scores(assignment.id)
            result["applications"] = [_application_json(a, assignment.meeting.anonymous, scores.get(a.id))
                                      for a in dao.meeting_applications(meeting_id)]
        return self.response(200, result=result)

    @expose("/<int:meeting_id>/pledge", methods=["POST"])
    @protect()
    @safe
    def pledge(self, meeting_id: int):
        """Accept the 评审专家纪律承诺书: {"agree": true}.
        ---
        post:
          responses:
            200:
              description: accepted
            400:
              description: refused
            404:
              description: not a meeting the expert was drawn for
        """
        data = _json_body() or {}
        try:
            AcceptPledgeCommand(g.user, meeting_id, data.get("agree") is True).run()
        except CommandError as err:
            return _answer(self, err)
        return self.response(200, meeting_id=meeting_id, status=AssignmentStatus.ACCEPTED.value)

    @expose("/<int:meeting_id>/applications/<int:application_id>/score", methods=["POST"])
    @protect()
    @safe
    def score(self, meeting_id: int, application_id: int):
        """{"score": 0–100, "opinion": ""} or {"conflict": true, "opinion": reason}.
        ---
        post:
          responses:
            200:
              description: saved
            400:
              description: refused
            404:
              description: not an application of the expert's meeting
        """
        data = _json_body()
        if data is None:
            return self.response_400(message={"_": ["JSON object expected"]})
        try:
            row = ScoreCommand(g.user, meeting_id, application_id, data.get("score"), str(data.get("opinion") or ""),
                               conflict=data.get("conflict") is True, seen_version=data.get("version")).run()
        except CommandError as err:
            return _answer(self, err)
        return self.response(200, application_id=application_id, version=row.version)

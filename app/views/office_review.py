"""The 报送受理部门 side of 职称初定 for the bureau acting for its region's offices: 初定审核, a FAB list of the
offices' applications with 通过 / 退回 (a reason) as list @actions and row buttons, and 证书入库 (初定) with a
公布时间. Every way in ends in a command that loads the rows again through app/daos/offices.py."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from app.clock import format_local
from app.commands.certificates.initial import IssueInitialCertificatesCommand, office_issuer
from app.commands.certificates.issue import issuable_applications
from app.commands.errors import CommandError
from app.commands.review.office import OfficeDecisionCommand
from app.daos import offices as offices_dao
from app.daos import paging
from app.models.applications import Application
from app.security.validators import mask_id_number
from app.views.answers import field_errors, raise_http
from app.views.catalog.base import EagerInterface
from app.views.units.queues import QueueView, name_of
from app.workflow.states import LABELS, Status, Transition, label

S = Status
# the queue's view of the lifecycle table (app/workflow/states.py: office_pass / office_return)
DECISIONS = (Transition("approve", S.PENDING_OFFICE, S.FINAL_PASSED, "Bureau"),
             Transition("reject", S.PENDING_OFFICE, S.RETURNED, "Bureau"))
TABS = {s.value: LABELS[s] for s in (S.PENDING_OFFICE, S.FINAL_PASSED, S.RETURNED, S.CERTIFIED)}


def _form_link(application_id) -> Markup:
    """The printable 申报表 the office reviews (DocumentView answers 404 for rows the reader may not see)."""
    return Markup('<a href="{}" target="_blank">{}</a>').format(
        url_for("DocumentView.preview", application_id=application_id, kind="initial_form"),
        _("Initial title application form"))


def _holder(person) -> str:
    return f"{person.real_name}（{mask_id_number(person.id_number)}）" if person is not None else ""


class InitialReviewView(QueueView):
    route_base = "/office/initial-review"
    class_permission_name = "OfficeReview"
    datamodel = EagerInterface(Application, joinedload(Application.person), joinedload(Application.series),
                               joinedload(Application.level), joinedload(Application.title),
                               joinedload(Application.accepting_office))
    rule = staticmethod(offices_dao.office_rule)
    find = staticmethod(offices_dao.office_row)
    transitions, command = DECISIONS, OfficeDecisionCommand
    labels = TABS
    table_id = "office-queue"
    list_title = _l("Initial title review")
    approved_message = _l("Passed; the applicants wait for the certificates to be published")
    rejected_message = _l("Returned to the applicants with the reason")
    approve_word = _l("Pass")
    reject_words = (_l("Return"), _l("Reason for the return (required)"))
    list_columns = ["person", "series", "level", "title", "accepting_office", "status", "submitted_at", "id"]
    search_columns: list = []
    base_order = ("submitted_at", "desc")
    order_columns = ["submitted_at"]
    label_columns = {"person": _l("Name"), "series": _l("Series"),
                     "level": _l("Level"), "title": _l("Qualification title"),
                     "accepting_office": _l("Accepting office"), "status": _l("Status"),
                     "submitted_at": _l("Submitted at"), "id": _l("Initial title application form")}
    formatters_columns = {"person": _holder, "series": name_of("name"), "level": name_of("name"),
                          "title": name_of("name"), "accepting_office": name_of("name"),
                          "status": label, "submitted_at": format_local, "id": _form_link}

    @action("approve", _l("Pass"), _l("Pass the chosen applications?"), "fa-check")
    def approve(self, items):
        return QueueView.approve(self, items)

    @action("reject", _l("Return"), None, "fa-undo")
    def reject(self, items):
        return QueueView.reject(self, items)

    def describe(self, row) -> str:
        return f"{row.person.real_name}（{mask_id_number(row.person.id_number)}） {row.title.name}"


class InitialIssueView(BaseView):
    """证书入库 (初定): one office at a time, its passed applicants, 公布时间, all or none."""

    route_base = "/office/initial-issue"
    class_permission_name = "OfficeReview"
    method_permission_name = {"list": "read", "issue": "write"}
    default_view = "list"

    def _render(self, source, *, errors=None, message=None, selected=(), published_on="", status=200):
        offices = offices_dao.offices_of(g.user)
        if not offices:
            flash(_("Only the bureau acting for the accepting office can do this"), "warning")
            return redirect("/")
        counts = offices_dao.passed_counts(g.user)
        # the office asked for, else the first with applicants waiting, else the first
        office = (offices_dao.office_of(g.user, source.get("office_id"))
                  or next((o for o in offices if counts.get(o.id)), offices[0]))
        query = issuable_applications(office_issuer(office)).where(
            Application.business == offices_dao.BUSINESS, Application.status == Status.FINAL_PASSED.value)
        page = paging.paginate(query, key=Application.submitted_at, id_col=Application.id,
                               source=dict(paging.position_args(source), per_page=paging.per_page_arg(source)),
                               options=(joinedload(Application.person), joinedload(Application.series),
                                        joinedload(Application.level), joinedload(Application.title)))
        return self.render_template(
            "certificates/initial_issue.html", page=page, offices=offices, office=office, counts=counts,
            args={"office_id": office.id}, errors=errors or {}, message=message,
            selected={str(s) for s in selected}, published_on=published_on,
            title=_("Initial title certificates")), status

    @expose("/")
    @has_access
    def list(self):
        return self._render(request.args)

    @expose("/issue", methods=["POST"])
    @has_access
    def issue(self):
        ids = request.form.getlist("ids")
        published_on = request.form.get("published_on", "")
        office_id = request.form.get("office_id")
        try:
            issued = IssueInitialCertificatesCommand(g.user, office_id, ids, published_on).run()
        except CommandError as err:
            raise_http(err)
            errors, message = field_errors(err)
            return self._render(request.form, errors=errors, message=message, selected=ids,
                                published_on=published_on, status=400)
        flash(_("Certificates issued to %(n)d applicant(s)", n=len(issued)), "success")
        return redirect(url_for("InitialIssueView.list", office_id=office_id))


def register(appbuilder) -> None:
    """The bureau's 初定 menu: 初定审核 and 证书入库 (初定)."""
    office = dict(category="OfficeAffairs", category_label=_l("Accepting office"), category_icon="fa-inbox")
    appbuilder.add_view(InitialReviewView, "InitialReview", label=_l("Initial title review"),
                        icon="fa-check-square-o", **office)
    appbuilder.add_view(InitialIssueView, "InitialIssue", label=_l("Initial title certificates"),
                        icon="fa-certificate", **office)

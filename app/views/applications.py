"""The applicant's pages (P7, P8, P11): 我的申报信息, the application overview with its sections, 确认申报,
取消申请 and 状态跟踪; the base form's pages (承诺书, 新增申报信息, 修改基本信息) are in
app/views/application_form.py. Thin: rules live in the commands and the lifecycle table (which actions and
sections are open), row access in app.daos.applications."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.commands.applications.cancel import CancelApplicationCommand
from app.commands.applications.submit import SubmitCommand
from app.commands.applications.update_base import base_form_editable
from app.commands.errors import CommandError
from app.daos import paging
from app.daos import certificates as certificate_daos
from app.daos.application_content import timeline_events
from app.daos.applications import get_own_or_404, own_applications
from app.models.applications import Application
from app.security import roles
from app.services import pdf
from app.views.answers import raise_http
from app.views.application_form import BaseFormPages
from app.views.flashed import run_flashed
from app.workflow import sections, states

STATUS_CLASSES = {states.SectionStatus.EMPTY: "default", states.SectionStatus.FILLED: "primary",
                  states.SectionStatus.REJECTED: "danger"}  # P6: grey, blue, red


def applicant_actions(application: Application) -> list[str]:
    """What the lifecycle table lets the applicant do with `application` now (submit, resubmit, cancel)."""
    return states.allowed_actions(application.status, roles.INDIVIDUAL)


def _section_label(code: str) -> str:
    """The name of a section in the timeline's 退回 rows (the code itself for one no longer defined)."""
    spec = sections.SECTIONS.get(code)
    return str(spec.label) if spec is not None else code


class ApplicationView(BaseFormPages, BaseView):
    route_base = "/applications"
    class_permission_name = "MyApplication"
    method_permission_name = {"list": "read", "show": "read", "timeline": "read", "choose": "write",
                              "commitment": "write", "create": "write", "edit": "write", "submit": "write",
                              "cancel": "write"}
    default_view = "list"

    # 我的申报信息 (P11)
    @expose("/")
    @has_access
    def list(self):
        page = paging.paginate(own_applications(g.user), key=Application.created_at, id_col=Application.id,
                               source=request.args,
                               options=(joinedload(Application.title), joinedload(Application.level)))
        return self.render_template("applications/list.html", rows=page.rows, page=page,
                                    businesses=states.BUSINESS_LABELS, status_label=states.label,
                                    forms_of=pdf.forms_of, actions_of=applicant_actions,
                                    base_editable=base_form_editable, title=_("My applications"),
                                    certificates=certificate_daos.by_application(g.user, page.rows))

    # 新增申报信息: choose the business first
    @expose("/new")
    @has_access
    def choose(self):
        return self.render_template("applications/choose.html", businesses=states.BUSINESS_LABELS,
                                    title=_("New application"))

    def _render_show(self, application: Application, problems=None, form_error=None):
        rows = []
        for state in sections.section_states(application):
            rows.append({"code": state.code, "label": state.label, "status": state.status, "reason": state.reason,
                         "rejected": state.rejected, "required": state.required,
                         "status_label": states.section_label(state.status),
                         "css": STATUS_CLASSES.get(state.status, "default"),
                         "url": url_for("SectionView.edit", application_id=application.id, code=state.code)})
        actions = applicant_actions(application)
        return self.render_template(
            "applications/show.html", application=application, sections=rows,
            editable=sections.editable_sections(application), problems=problems or [], form_error=form_error,
            forms=pdf.forms_of(application.business),
            business_label=states.BUSINESS_LABELS.get(application.business, application.business),
            status_label=states.label(application.status), base_editable=base_form_editable(application),
            can_submit="submit" in actions or "resubmit" in actions, returned="resubmit" in actions,
            can_cancel="cancel" in actions, title=_("Application details"))

    # the overview: base information, section states and the 暂存/确认申报/取消申请 buttons
    @expose("/<int:application_id>")
    @has_access
    def show(self, application_id: int):
        return self._render_show(get_own_or_404(g.user, application_id))

    # 确认申报 (P7, P9)
    @expose("/<int:application_id>/submit", methods=["POST"])
    @has_access
    def submit(self, application_id: int):
        get_own_or_404(g.user, application_id)
        try:
            SubmitCommand(g.user, application_id).run()
        except CommandError as err:
            raise_http(err)
            application = get_own_or_404(g.user, application_id)
            return self._render_show(application, problems=err.details, form_error=str(err.message))
        if get_own_or_404(g.user, application_id).business == "initial":  # to the 报送受理部门 it chose
            flash(_("Submitted: your application has been sent to the accepting office for review"), "success")
        else:
            flash(_("Submitted: your application has been sent to the unit for review"), "success")
        return redirect(url_for("ApplicationView.timeline", application_id=application_id))

    # 取消申请 (P7)
    @expose("/<int:application_id>/cancel", methods=["POST"])
    @has_access
    def cancel(self, application_id: int):
        get_own_or_404(g.user, application_id)
        run_flashed(CancelApplicationCommand(g.user, application_id), _("The application has been cancelled"))
        return redirect(url_for("ApplicationView.list"))

    # 状态跟踪 (P8)
    @expose("/<int:application_id>/timeline")
    @has_access
    def timeline(self, application_id: int):
        application = get_own_or_404(g.user, application_id)
        return self.render_template("applications/timeline.html", application=application,
                                    events=timeline_events(application), status_label=states.label,
                                    action_label=states.action_label, section_label=_section_label,
                                    business_label=states.BUSINESS_LABELS.get(application.business, ""),
                                    title=_("Status tracking"))


def register(appbuilder) -> None:
    """Add this module's views, menus and API."""
    from app.api.applications import MyApplicationApi

    menu = dict(category="Applications", category_label=_l("Professional titles"), category_icon="fa-graduation-cap")
    appbuilder.add_view(ApplicationView(), "MyApplications", label=_l("My applications"), icon="fa-list", **menu)
    appbuilder.add_link("NewApplication", label=_l("New application"), href="/applications/new", icon="fa-plus",
                        **menu)
    appbuilder.add_api(MyApplicationApi)

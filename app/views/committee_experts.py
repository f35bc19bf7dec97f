"""M1a 评委管理: the office's expert pool a page at a time, the add form, the Excel/CSV import and 入库 / 出库.
Thin: the checks and writes are app/commands/committee/experts.py and expert_import.py."""
from __future__ import annotations

import csv
import io

from flask import Response, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.committee.expert_import import TEMPLATE_HEADER, ImportExpertsCommand
from app.commands.committee.experts import FIELDS, AddExpertCommand, SetPoolStatusCommand, SetTermCommand
from app.commands.errors import CommandError
from app.daos import catalog_choices
from app.daos import committee as dao
from app.daos.actors import committee_id_of
from app.daos import paging
from app.models.committee import Expert
from app.views.acting import or_home
from app.views.answers import loaded, marked_fields, raise_http
from app.views.committee import CsrfForm
from app.views.committee_forms import CommitteeForm
from app.workflow.committee_states import label

EXPERT_FORM = CommitteeForm("committee/expert_form.html", _l("Add an expert"), FIELDS, AddExpertCommand,
                            extras=lambda: {"levels": catalog_choices.levels()})


class ExpertPoolPageView(BaseView):
    route_base = "/committee/experts"
    class_permission_name = "CommitteePool"
    method_permission_name = {"list": "write", "add": "write", "import_": "write", "template": "write",
                              "pool": "write", "term": "write"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        or_home(committee_id_of(g.user), _("Only a committee office can do this"))
        status = request.args.get("status", "")
        query = dao.pool(g.user)
        if status in ("in_pool", "out_of_pool"):
            query = query.where(Expert.status == status)
        text = (request.args.get("q") or "").strip()[:64]
        if text:
            query = query.where(Expert.name.contains(text, autoescape=True))
        page = paging.paginate(query, key=Expert.created_at, id_col=Expert.id, ascending=False, source=request.args)
        args = {"status": status, "q": text, "per_page": page.per_page}
        return self.render_template("committee/experts.html", page=page, rows=page.rows, args=args, status=status,
                                    q=text, form=CsrfForm(), label=label, title=_("Expert pool"))

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        return EXPERT_FORM.handle(self, lambda expert: (
            _("%(name)s was added to the pool", name=expert.name), url_for("ExpertPoolPageView.list")))

    @expose("/import", methods=["GET", "POST"])
    @has_access
    def import_(self):
        dao.office_committee(g.user)
        errors, details, status_code = None, [], 200
        if request.method == "POST":
            if not CsrfForm().validate_on_submit():
                errors, status_code = _("The form has expired; please submit it again"), 400
            else:
                upload = request.files.get("file")
                try:
                    added = ImportExpertsCommand(g.user, upload.read() if upload else b"").run()
                    flash(_("%(n)d experts were imported", n=len(added)), "success")
                    return redirect(url_for("ExpertPoolPageView.list"))
                except CommandError as err:
                    raise_http(err)
                    errors, details = str(err.message), [str(d) for d in err.details]
        return self.render_template("committee/expert_import.html", form=CsrfForm(), error=errors, details=details,
                                    columns=TEMPLATE_HEADER, title=_("Import experts")), status_code

    @expose("/template.csv")
    @has_access
    def template(self):
        """The import's columns as a CSV an office can fill in Excel (with a BOM, so Excel reads UTF-8)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(TEMPLATE_HEADER)
        writer.writerow(["张三", "370102198001010011", "13800000000", "zhangsan@example.cn", "某某单位", "",
                         "副高级", "2026-01-01", "2028-12-31"])
        return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=experts.csv"})

    @expose("/<int:expert_id>/pool", methods=["POST"])
    @has_access
    def pool(self, expert_id: int):
        action = request.form.get("action", "")
        if not CsrfForm().validate_on_submit() or action not in ("enroll", "retire"):
            flash(_("The form has expired; please submit it again"), "danger")
            return redirect(url_for("ExpertPoolPageView.list"))
        try:
            expert = SetPoolStatusCommand(g.user, expert_id, action).run()
            flash(_("%(name)s: %(status)s", name=expert.name, status=label(expert.status)), "success")
        except CommandError as err:
            raise_http(err)
            flash(str(err.message), "warning")
        return redirect(url_for("ExpertPoolPageView.list"))


    @expose("/<int:expert_id>/term", methods=["GET", "POST"])
    @has_access
    def term(self, expert_id: int):
        """聘期: renew or correct an expert's term."""
        expert = loaded(dao.pool_expert, g.user, expert_id)
        values, errors, form_error, status_code = {}, {}, None, 200
        if request.method == "POST":
            values = {k: request.form.get(k, "") for k in ("term_start", "term_end", "version")}
            if not CsrfForm().validate_on_submit():
                form_error, status_code = _("The form has expired; please submit it again"), 400
            else:
                try:
                    SetTermCommand(g.user, expert_id, values["term_start"], values["term_end"], values["version"]).run()
                    flash(_("The term of %(name)s was saved", name=expert.name), "success")
                    return redirect(url_for("ExpertPoolPageView.list"))
                except CommandError as err:
                    errors, form_error = marked_fields(err)
                    expert = dao.pool_expert(g.user, expert_id)
        return self.render_template("committee/expert_term.html", expert=expert, values=values, errors=errors,
                                    form_error=form_error, form=CsrfForm(), title=_("Term")), status_code


def register(appbuilder) -> None:
    appbuilder.add_view(ExpertPoolPageView, "ExpertPool", label=_l("Expert pool"), icon="fa-users",
                        category="CommitteeReview")

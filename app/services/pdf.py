"""P10: the application forms (评审表, 评审简表, 认定表, 转入表) as an HTML page and as a PDF.

The PDF is rendered by pdfkit with the system wkhtmltopdf. Everything the renderer sees is inline:
the CSS is in the page, there are no URLs, no images, no JavaScript and no local file access, so
rendering never reaches the network or the disk. User data is escaped by Jinja's autoescape.

Every PDF made here has searchable, copyable text: wkhtmltopdf's ToUnicode maps name a Kangxi radical where
the page printed the ideograph sharing its glyph (⽂ for 文), and `unify_cjk_text` maps them back. Anything
that signs a PDF (certificates) must sign the result of `html_to_pdf`, never edit it afterwards
(app/services/pdf_text.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import subprocess
import threading
from dataclasses import dataclass

import pdfkit
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import format_local, utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationSection, Attachment, SectionEntry
from app.services import entry_order
from app.services.pdf_text import unify_cjk_text
from app.workflow import sections
from app.workflow.states import LABELS, NEVER_SUBMITTED, Status

log = logging.getLogger(__name__)

DEFAULT_WKHTMLTOPDF = "/usr/bin/wkhtmltopdf"
DEFAULT_TIMEOUT_SECONDS = 20
DEFAULT_MAX_CONCURRENT = 4  # wkhtmltopdf processes per app process; more requests wait, then get the error page
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()

# Options of wkhtmltopdf: A4 like the paper forms, UTF-8, no JavaScript, no local files, and a proxy
# that refuses every connection, so even a URL that slipped into the page is never fetched.
OPTIONS = {
    "page-size": "A4",
    "encoding": "UTF-8",
    "margin-top": "15mm",
    "margin-bottom": "15mm",
    "margin-left": "15mm",
    "margin-right": "15mm",
    "disable-javascript": "",
    "disable-local-file-access": "",
    "disable-external-links": "",
    "no-images": "",
    "proxy": "http://127.0.0.1:9",
    "quiet": "",
}


@dataclass(frozen=True)
class FormKind:
    code: str
    business: str
    label: object  # lazy string
    template: str
    sections: tuple[str, ...] | None = None  # None: every configured section
    applicant_after: frozenset[str] | None = None  # statuses in which the applicant may download; None: submitted
    final_in: frozenset[str] | None = None  # statuses in which the form is final; before, it is marked provisional


FORMS: dict[str, FormKind] = {f.code: f for f in (
    FormKind("review_form", "review", _l("Review form"), "documents/review_form.html"),
    FormKind("review_brief", "review", _l("Review brief form"), "documents/review_brief.html",
             sections=("education", "current_title", "assessment", "achievements")),
    # seed 001: 确定申报后 the applicant downloads the 认定表; until 终审通过 it says it is not final
    FormKind("recognition_form", "recognition", _l("Recognition form"), "documents/recognition_form.html",
             final_in=frozenset({Status.FINAL_PASSED.value, Status.CERTIFIED.value})),
    # seed 002: the applicant downloads the 转入表 once the unit with final-review authority passed it
    FormKind("transfer_form", "transfer", _l("Transfer-in form"), "documents/transfer_form.html",
             applicant_after=frozenset({Status.FINAL_PASSED.value}), final_in=frozenset({Status.FINAL_PASSED.value})),
    # seed 004 ch. 2: 打印出申报表一式两份，按申报流程送交至各专业行政主管部门
    FormKind("initial_form", "initial", _l("Initial title application form"), "documents/initial_form.html"),
)}

class PdfError(Exception):
    """wkhtmltopdf is missing, failed or took too long."""


def forms_of(business: str) -> list[FormKind]:
    return [f for f in FORMS.values() if f.business == business]


def form_for(kind: str, business: str) -> FormKind | None:
    form = FORMS.get(kind)
    return form if form is not None and form.business == business else None


def download_refusal(application: Application, form: FormKind, *, is_applicant: bool):
    """Why the PDF may not be downloaded now (a lazy message), or None when it may."""
    if application.status in NEVER_SUBMITTED:
        return _l("The PDF can be downloaded after the application has been submitted; "
                  "until then you can preview the form")
    if is_applicant and form.applicant_after is not None and application.status not in form.applicant_after:
        return _l("The PDF of this form can be downloaded after the final review has passed")
    return None


# --- what the forms show ----------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return "、".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_cell(v)}" for k, v in value.items())
    return str(value)


def _entry_cell(code: str, field: str, value) -> str:
    return entry_order.until_now() if entry_order.is_open_end(code, field, value) else _cell(value)


def _sections(application: Application, only: tuple[str, ...] | None) -> list[dict]:
    """Each configured section (app/workflow/sections.py) with its entries under the field labels, its
    text or its file names."""
    codes = [row.section for row in sections.configured_sections(application.business, application.committee_id,
                                                                  application.year)]
    entries: dict[str, list[SectionEntry]] = {}
    for entry in db.session.execute(select(SectionEntry).where(SectionEntry.application_id == application.id)
                                    .order_by(SectionEntry.section, SectionEntry.position, SectionEntry.id)
                                    ).scalars():
        entries.setdefault(entry.section, []).append(entry)
    states = {s.section: s for s in db.session.execute(
        select(ApplicationSection).where(ApplicationSection.application_id == application.id)).scalars()}
    files: dict[str, list[str]] = {}
    for section, name in db.session.execute(
            select(Attachment.section, Attachment.original_name).where(Attachment.application_id == application.id)
            .order_by(Attachment.id)):
        files.setdefault(section, []).append(name)
    result = []
    for code in codes:
        if only is not None and code not in only:
            continue
        spec = sections.SECTIONS[code]
        state = states.get(code)
        result.append({
            "code": code, "label": str(spec.label), "kind": spec.kind, "columns": [str(f.label) for f in spec.fields],
            "rows": [[_entry_cell(code, f.name, (e.data or {}).get(f.name)) for f in spec.fields]
                     for e in entry_order.in_print_order(code, entries.get(code, []))],
            "text": state.text if state is not None else "",
            "attachments": files.get(code, []),
        })
    return result


def _status_label(status: str) -> str:
    try:
        return str(LABELS[Status(status)])
    except (ValueError, KeyError):
        return status


def form_context(application: Application, form: FormKind, *, mask_id: bool) -> dict:
    person = application.person
    return {
        "form": form,
        "application": application,
        "person": person,
        "masked": mask_id,
        "status_label": _status_label(application.status),
        "provisional": form.final_in is not None and application.status not in form.final_in,
        "submitted_on": format_local(application.submitted_at, "%Y年%m月%d日") if application.submitted_at else "",
        "printed_on": format_local(utcnow(), "%Y年%m月%d日"),
        "birth_month": person.birth_date.strftime("%Y.%m") if isinstance(person.birth_date, dt.date) else "",
        "sections": _sections(application, form.sections),
    }


def render_form(application: Application, form: FormKind, *, standalone: bool, mask_id: bool = True) -> str:
    """The form as HTML: a whole document for the PDF (standalone) or a fragment for the preview page.
    The ID number is masked unless the caller says the reader is its holder."""
    return render_template(form.template, standalone=standalone,
                           **form_context(application, form, mask_id=mask_id))


# --- PDF ----------------------------------------------------------------------------------------------

def _slots_for(count: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        if count not in _slots:
            _slots[count] = threading.BoundedSemaphore(count)
        return _slots[count]


def _options(inline_images: bool) -> dict:
    options = dict(OPTIONS)
    if inline_images:
        options.pop("no-images")
    return options


def html_to_pdf(html: str, *, inline_images: bool = False) -> bytes:
    """The PDF of a self-contained HTML page, or PdfError; never waits longer than the timeout.
    `inline_images` lets `data:` images (a certificate's seal and QR code) print; files and URLs stay off."""
    path = current_app.config.get("WKHTMLTOPDF_PATH", DEFAULT_WKHTMLTOPDF)
    timeout = current_app.config.get("PDF_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    try:
        # the meta-tag prefix is in no template, so no page content can set an option
        configuration = pdfkit.configuration(wkhtmltopdf=path, meta_tag_prefix="zc-no-pdfkit-options-")
        command = pdfkit.PDFKit(html, "string", options=_options(inline_images), configuration=configuration).command()
    except OSError as err:
        log.error("wkhtmltopdf unavailable: %s", err)
        raise PdfError(str(err)) from err
    slots = _slots_for(current_app.config.get("PDF_MAX_CONCURRENT", DEFAULT_MAX_CONCURRENT))
    if not slots.acquire(timeout=timeout):
        log.error("no wkhtmltopdf slot free within %s s", timeout)
        raise PdfError("busy")
    try:
        result = subprocess.run(command, input=html.encode("utf-8"), capture_output=True, timeout=timeout,
                                env=configuration.environ, check=False)
    except subprocess.TimeoutExpired as err:
        log.error("wkhtmltopdf took longer than %s s", timeout)
        raise PdfError("timeout") from err
    except OSError as err:
        log.error("wkhtmltopdf could not start: %s", err)
        raise PdfError(str(err)) from err
    finally:
        slots.release()
    if result.returncode != 0 or not result.stdout.startswith(b"%PDF"):
        log.error("wkhtmltopdf failed (%s): %s", result.returncode, result.stderr.decode("utf-8", "replace")[-500:])
        raise PdfError(f"exit {result.returncode}")
    try:
        return unify_cjk_text(result.stdout)
    except Exception as err:  # a PDF pypdf cannot read is a failed rendering, not a 500
        log.error("could not fix the text map of the PDF: %s", err)
        raise PdfError("text map") from err

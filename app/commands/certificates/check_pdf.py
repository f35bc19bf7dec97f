"""验真: an uploaded certificate PDF, checked by its content (a PDF, at most VERIFY_PDF_MAX_BYTES, read in
memory and never stored); when its signature is intact, the certificate it names is looked up (and that
look-up logged) by the number and code printed on it."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.certificates.verify import VerifyCertificatesCommand
from app.commands.errors import Invalid
from app.services import pdf_check


class CheckCertificatePdfCommand(BaseCommand):
    """(report, certificate or None) for one upload."""

    def __init__(self, upload, *, address: str = "", user=None):
        self.upload, self.address, self.user = upload, address, user

    def validate(self) -> None:
        upload = self.upload
        if upload is None or not getattr(upload, "filename", ""):
            raise Invalid(_l("Choose a file to upload"), "file")
        limit = int(current_app.config["VERIFY_PDF_MAX_BYTES"])
        self.data = upload.stream.read(limit + 1)
        if len(self.data) > limit:
            raise Invalid(_l("The file is larger than %(mb)s MB", mb=f"{limit / 1048576:g}"), "file")
        if not self.data.startswith(b"%PDF-"):
            raise Invalid(_l("Only PDF files can be checked (checked by the file's content)"), "file")

    def run(self):
        self.validate()
        try:
            report = pdf_check.check(self.data)
        except pdf_check.Unreadable:
            raise Invalid(_l("The file could not be read as a PDF"), "file") from None
        certificate = None
        if report.intact and report.number and report.code:
            found = VerifyCertificatesCommand(number=report.number, code=report.code, channel="pdf",
                                              address=self.address, user=self.user).run()
            certificate = found[0] if found else None
        return report, certificate

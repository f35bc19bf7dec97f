"""证书入库 of 职称初定: the bureau acting for one of its region's 报送受理部门 issues the certificates of
that office's applications it passed, with a 公布时间, all or none, through the one issuing command with
the office as issuer (its name printed, its region's number counter)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.certificates.issue import IssueCertificatesCommand, Issuer
from app.commands.errors import NotFound
from app.daos.offices import office_of
from app.models.offices import AcceptingOffice
from app.security import roles


def office_issuer(office: AcceptingOffice) -> Issuer:
    return Issuer("office", office.id, office.name, office.region_id, roles.BUREAU)


class IssueInitialCertificatesCommand(BaseCommand):
    def __init__(self, actor, office_id, application_ids, published_on):
        self.actor, self.office_id = actor, office_id
        self.application_ids, self.published_on = application_ids, published_on
        self.office: AcceptingOffice | None = None

    def validate(self) -> None:
        # an office the actor does not act for (another region's, or any for a non-bureau) is not there for it
        self.office = office_of(self.actor, self.office_id)
        if self.office is None:
            raise NotFound(_l("No such accepting office"))

    def run(self) -> list:
        self.validate()
        # the issuing command loads the applications through the office's own row filter
        return IssueCertificatesCommand(self.actor, self.application_ids, self.published_on,
                                        issuer=office_issuer(self.office)).run()

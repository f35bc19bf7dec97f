"""证书查询 (Z5): look a certificate up by name + ID number (all of that person's), with a verification code
or a certificate number (that one), or by the QR code's number + code; every look-up is logged (who
looked: the time, the masked address, the unit when a signed-in unit asks). A look-up that finds nothing
is not an error: it answers an empty list, the same for every kind of mismatch, and its log row is kept."""
from __future__ import annotations

import ipaddress

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid
from app.daos.actors import unit_account_of
from app.daos import certificates_public as dao
from app.extensions import db
from app.models.certificate_requests import VerificationLog
from app.models.certificates import Certificate

CHANNELS = ("page", "qr", "api", "pdf")


def mask_address(address: str | None) -> str:
    """203.0.113.* for IPv4, the first four groups of IPv6: enough to tell one visitor from another,
    not to find them."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "*"
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".*"
    return ":".join(ip.exploded.split(":")[:4]) + ":*"


def verifying_unit(user):
    """The unit of a signed-in unit account, or None (anonymous visitors and other roles)."""
    return unit_account_of(user)


class VerifyCertificatesCommand(BaseCommand):
    """The certificates a look-up shows (possibly none), each logged."""

    def __init__(self, *, name: str = "", id_number: str = "", key: str = "", number: str = "", code: str = "",
                 channel: str = "page", address: str = "", user=None):
        self.name, self.id_number = dao.normalise_name(name), dao.normalise_id_number(id_number)
        self.key, self.number, self.code = dao.normalise_key(key), dao.normalise_key(number), dao.normalise_key(code)
        self.channel, self.address, self.user = channel, address, user
        # the QR code's address (and 验真 of a PDF) name a certificate by its number and code alone
        self.by_code = channel in ("qr", "pdf") or (
            bool(self.number or self.code) and not (self.name or self.id_number))

    def validate(self) -> None:
        if self.channel not in CHANNELS:
            raise Invalid(_l("Unknown way of verifying"))
        if self.by_code:
            if not self.number or not self.code:
                raise Invalid(_l("Enter the certificate number and the verification code"), "key")
            return
        if not self.name:
            raise Invalid(_l("Enter the holder's name"), "name")
        if not self.id_number:
            raise Invalid(_l("Enter the holder's ID number"), "id_number")

    def run(self) -> list[Certificate]:
        self.validate()
        if self.by_code:
            query = dao.by_number_and_code(self.number, self.code)
        else:
            query = dao.by_holder(self.name, self.id_number, self.key)
        found = list(db.session.execute(query).unique().scalars())
        unit = verifying_unit(self.user)
        now, address = utcnow(), mask_address(self.address)
        for certificate in found or [None]:
            db.session.add(VerificationLog(at=now, certificate_id=certificate.id if certificate else None,
                                           channel=self.channel, address=address,
                                           unit_id=unit.id if unit else None, unit_name=unit.name if unit else ""))
        return found

"""上传印章印模: the bureau or a unit with final-review authority uploads the seal printed on its
certificates. The new file is written first, the row then points at it; a refused upload keeps the old."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.certificates.issue import issuer_for
from app.commands.errors import Forbidden, Invalid
from app.commands.units.authority import has_final_authority
from app.extensions import db
from app.models.certificates import IssuerSeal
from app.services import audit, seals


class UploadSealCommand(BaseCommand):
    def __init__(self, actor, data: bytes):
        self.actor, self.data = actor, data or b""

    def validate(self) -> None:
        self.issuer = issuer_for(self.actor)
        if self.issuer is None or (self.issuer.kind == "unit"
                                   and not has_final_authority(self.issuer.id, "recognition")):
            raise Forbidden(_l("Only the bureau or a unit with final-review authority uploads a seal"))
        try:
            self.size = seals.check_seal(self.data)
        except seals.SealRejected as err:
            raise Invalid(err.args[0], "seal") from None

    def run(self) -> IssuerSeal:
        self.validate()
        folder = seals.folder()
        folder.mkdir(parents=True, exist_ok=True)
        stored_name = secrets.token_hex(16) + ".png"
        (folder / stored_name).write_bytes(self.data)
        seal = seals.seal_of(self.issuer.kind, self.issuer.id)
        if seal is None:
            seal = IssuerSeal(issuer_kind=self.issuer.kind, issuer_id=self.issuer.id)
            db.session.add(seal)
        seal.stored_name, (seal.width, seal.height) = stored_name, self.size
        seal.uploaded_at, seal.uploaded_by_id = utcnow(), self.actor.id
        db.session.flush()
        audit.record("certificate.seal_upload", actor=self.actor, object_type="issuer_seal", object_id=seal.id,
                     opinion=f"{self.issuer.kind}:{self.issuer.id}")
        return seal

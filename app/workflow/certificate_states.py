"""The certificate's states as data, beside the application's (app/workflow/states.py): 有效, 已注销
(revoked by the issuer's side with a reason), 已换发 (replaced by a reissued successor). Commands ask
`certificate_transition()`; nothing else changes `Certificate.status`."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from flask_babel import lazy_gettext as _l


class CertificateStatus(str, Enum):
    VALID = "valid"          # 有效
    REVOKED = "revoked"      # 已注销
    REPLACED = "replaced"    # 已换发


CERTIFICATE_LABELS = {
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.REVOKED: _l("Revoked"),
    CertificateStatus.REPLACED: _l("Replaced by a reissue"),
}


@dataclass(frozen=True)
class CertificateTransition:
    action: str
    source: CertificateStatus
    target: CertificateStatus
    roles: tuple[str, ...]


C = CertificateStatus
CERTIFICATE_TRANSITIONS: tuple[CertificateTransition, ...] = (
    # 注销: the bureau of the issuer's region, or the authorised unit for its own issues
    CertificateTransition("revoke", C.VALID, C.REVOKED, ("Bureau", "Unit")),
    # 换发 / 补办: the bureau approves a reissue; the new certificate replaces this one
    CertificateTransition("replace", C.VALID, C.REPLACED, ("Bureau",)),
)

CERTIFICATE_ACTION_LABELS = {"issue": _l("Certificate issued"), "revoke": _l("Revoke"),
                             "replace": _l("Replaced by a reissue")}


class CertificateTransitionNotAllowed(Exception):
    pass


def certificate_transition(action: str, source: str, role: str) -> CertificateStatus:
    """The status `action` leads to from `source` for `role`, or CertificateTransitionNotAllowed."""
    for t in CERTIFICATE_TRANSITIONS:
        if t.action == action and t.source == source and role in t.roles:
            return t.target
    raise CertificateTransitionNotAllowed(f"{action} is not allowed from {source} for {role}")


def certificate_label(status: str) -> str:
    try:
        return str(CERTIFICATE_LABELS[CertificateStatus(status)])
    except ValueError:
        return status or ""

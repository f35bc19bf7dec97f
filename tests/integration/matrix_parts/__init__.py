"""The access matrix in parts, one per feature module, so parallel work never edits one dict.
Each part defines MATRIX: endpoint (or "ViewClass." prefix) → set of roles allowed."""
from __future__ import annotations

ANON, IND, UNIT, BUR, COM, ADM = "anonymous", "Individual", "Unit", "Bureau", "Committee", "Admin"
EXP = "Expert"
ROLES = (ANON, IND, UNIT, BUR, COM, EXP, ADM)
EVERYONE = set(ROLES)
SIGNED_IN = {IND, UNIT, BUR, COM, EXP, ADM}
NOBODY: set[str] = set()
ADMIN_ONLY = {ADM}

PARTS = ("catalog", "applications", "sections", "documents", "units", "review", "report", "applicant_a",
         "applicant_b", "admin", "auth", "certificates", "certificates_public", "committee",
         "deadlines", "committee_vote", "initial_office")


def merged() -> dict[str, set[str]]:
    from importlib import import_module

    result: dict[str, set[str]] = {}
    for name in PARTS:
        part = import_module(f"{__name__}.{name}").MATRIX
        clash = set(part) & set(result)
        assert not clash, f"{name} repeats endpoints of another part: {clash}"
        result.update(part)
    return result

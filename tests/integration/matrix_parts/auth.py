"""Sign-in endpoints added by the security work (holes 3, 6, 7)."""
from tests.integration.matrix_parts import EVERYONE

MATRIX: dict[str, set[str]] = {
    # ends the API session of the token it is called with (anonymous: 401); skipped by the matrix
    # run because it would end the token the other API probes use; tests/security/test_auth_sessions.py
    "SecurityApi.logout": EVERYONE,
}

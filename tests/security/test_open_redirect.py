"""Open redirects: `next=` on login and every other redirect that takes a URL (FAB's back button and
language switch follow the page history) never send the browser to another site, however the URL is
spelled (scheme-relative, backslashes, tabs, user-info, encoded slashes)."""
from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.security.crawl import argument_free_get_routes

EVIL = "evil.example"
NEXT_VALUES = [  # each one a login (a scrypt check): the distinct tricks only
    f"https://{EVIL}/", f"//{EVIL}/", f"///{EVIL}/", f"/\\{EVIL}", f"\\\\{EVIL}", f"https:{EVIL}",
    f"https:/{EVIL}", f"http://localhost@{EVIL}/", f"http://{EVIL}\\@localhost/", f"/\t/{EVIL}", f"\t//{EVIL}",
    f" //{EVIL}", f"/%2F{EVIL}", "javascript:alert(1)", "data:text/html,<script>", f"//{EVIL}%2F@localhost",
]


def _browser_target(location: str, base: str = "http://localhost/login/") -> tuple[str, str]:
    """Where a browser goes for this Location: it drops tabs and newlines, reads a backslash as a slash
    (in http URLs) and resolves against the current page."""
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").strip().replace("\\", "/")
    target = urlsplit(urljoin(base, cleaned))
    return target.scheme, target.hostname or ""


def _off_site(response) -> str | None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    location = response.headers.get("Location", "")
    scheme, host = _browser_target(location)
    if scheme not in ("http", "https") or host != "localhost":
        return location
    return None


@pytest.mark.parametrize("value", NEXT_VALUES)
def test_login_next_never_leaves_the_site(app, world, value):
    client = app.test_client()
    response = client.post(f"/login/?next={quote(value, safe='')}",
                           data={"username": "demo_person", "password": PASSWORD, "captcha": ""})
    assert response.status_code == 302, "the login itself failed"
    assert _off_site(response) is None, f"next={value!r} sent the browser to {response.headers['Location']!r}"


def test_login_next_keeps_a_local_target(app, world):
    """The control: a path on this site is where the applicant lands after signing in."""
    response = app.test_client().post("/login/?next=%2Fapplications%2F",
                                      data={"username": "demo_person", "password": PASSWORD, "captcha": ""})
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/applications/"


@pytest.mark.parametrize("username", [None, "demo_person", "admin"])
def test_no_route_redirects_off_site_on_a_url_parameter(app, world, clients, username):
    """Every GET route without arguments (and the login page's) with each usual redirect parameter set to
    another site: none answers with a redirect there."""
    client = clients(username) if username else app.test_client()
    params = "&".join(f"{name}={quote(f'//{EVIL}/', safe='')}" for name in
                      ("next", "url", "redirect", "redirect_url", "return_to", "returnUrl", "back", "target"))
    wrong = []
    for route in argument_free_get_routes(app) + ["/lang/zh", "/lang/en", "/back"]:
        response = client.get(f"{route}?{params}", headers={"Referer": f"https://{EVIL}/"})
        if _off_site(response):
            wrong.append(f"{route} → {response.headers['Location']}")
    assert not wrong, "\n".join(wrong)


def test_the_browser_model_catches_the_tricks():
    """The check itself: these Locations do leave the site in a browser."""
    for location in (f"//{EVIL}", f"/\\{EVIL}", f"/\t/{EVIL}", f"https://{EVIL}", "javascript:alert(1)"):
        scheme, host = _browser_target(location)
        assert scheme not in ("http", "https") or host != "localhost", location
    assert _browser_target("/applications/") == ("http", "localhost")

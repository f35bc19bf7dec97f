"""Browser tests: the session's `app` served on 127.0.0.1 by a real server in a thread, driven by
Playwright's sync API on Debian's Chromium (`make test` installs it; `playwright install` is not
used). Screenshots go to tests/e2e/artifacts/, one per page checked and one for every failure.

`strict_page` is `page` that also records every uncaught script error, console error, failed request
and response >= 400, and fails the test unless the step declared it with `expect_problem(...)`.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True)  # before `-m "not e2e"` deselects
def pytest_collection_modifyitems(items):
    e2e_dir = Path(__file__).parent
    for item in items:
        if e2e_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a free port of 127.0.0.1; yields its base URL ("http://127.0.0.1:PORT"). Static files may be
    cached for the session, so that a browser context does not revalidate FAB's two dozen files on every page."""
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live_server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian package chromium; `make test` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (no cookies) per test, in Chinese, with base_url set to the server."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        screenshot(page, f"FAILED-{request.node.name}")
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as tests/e2e/artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------- strict_page
# Asked for by the browser itself, not by the app: the app serves no favicon.
IGNORED_PATHS = {"/favicon.ico"}


@dataclass
class _Allowance:
    kind: str  # "response", "console", "pageerror" or "requestfailed"
    status: int | None
    path: str | None
    text: str | None
    seen: list[str] = field(default_factory=list)

    def matches(self, kind: str, status: int | None, path: str, text: str) -> bool:
        return (kind == self.kind and (self.status is None or status == self.status)
                and (self.path is None or path == self.path) and (self.text is None or self.text in text))


class PageGuard:
    """Records what went wrong on a page; `problems` holds what no step declared."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self._allowed: list[_Allowance] = []
        page.on("pageerror", lambda err: self._record("pageerror", None, page.url, str(err)))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _record(self, kind: str, status: int | None, url: str, text: str) -> None:
        path = urlparse(url).path
        for allowance in self._allowed:
            if allowance.matches(kind, status, path, text):
                allowance.seen.append(f"{url}: {text}")
                return
        self.problems.append(f"{kind} at {url}: {text}")

    def _console(self, message) -> None:
        # the browser's "Failed to load resource: … status of 404" repeats a response recorded below
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self._record("console", None, self.page.url, message.text)

    def _response(self, response) -> None:
        if response.status >= 400 and urlparse(response.url).path not in IGNORED_PATHS:
            self._record("response", response.status, response.url, f"HTTP {response.status}")

    def _request_failed(self, request) -> None:
        failure = request.failure or ""
        # ERR_ABORTED: a download, or a request cut short by the next navigation
        if "ERR_ABORTED" not in failure and urlparse(request.url).path not in IGNORED_PATHS:
            self._record("requestfailed", None, request.url, failure)

    @contextmanager
    def expect(self, kind: str = "response", *, status: int | None = None, path: str | None = None,
               text: str | None = None):
        """Within the block, problems of this kind (and status, URL path, text) are expected, and at least
        one must occur: a step that expects an error answer fails when it does not get one."""
        allowance = _Allowance(kind, status, path, text)
        self._allowed.append(allowance)
        try:
            yield allowance
        finally:
            self._allowed.remove(allowance)
        assert allowance.seen, f"expected a {kind} problem (status={status}, path={path}, text={text}), none came"

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "undeclared errors in the browser:\n" + "\n".join(problems)


_GUARDS: dict[int, PageGuard] = {}


def expect_problem(page, kind: str = "response", **match):
    """`with expect_problem(page, status=404, path="/x"):` — declare an error the next step must cause."""
    return _GUARDS[id(page)].expect(kind, **match)


def assert_no_problems(page) -> None:
    """Fail now if the page has met an undeclared error (the `strict_page` fixture checks again at the end)."""
    _GUARDS[id(page)].assert_clean()


@pytest.fixture
def strict_page(page, request):
    """`page`, failing the test on any script error, console error, failed request or response >= 400
    that no step declared with `expect_problem`."""
    guard = PageGuard(page)
    _GUARDS[id(page)] = guard
    yield page
    del _GUARDS[id(page)]
    if not request.node.stash.get(_CALL_FAILED, False):
        guard.assert_clean()

"""The POSTs of `make bench` (bench/load.py), sent by Python clients since each needs the page's form first
(its CSRF token, and the version where the form carries one): the section save, on one draft per client
that it saves again and again, and the submission (确认申报), on drafts each submitted once, drawn from a
`DraftPool` of applicants so that no two clients hold the same applicant's drafts."""
from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque


def cookies(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def jar_of(cookie: str) -> dict:
    return dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)


class Applicant:
    """One applicant's session cookies and the drafts of it not yet submitted."""

    def __init__(self, cookie: str, drafts):
        self.jar, self.drafts = jar_of(cookie), deque(drafts)


class DraftPool:
    """The applicants whose drafts the submission clients use up: a client takes one applicant (nobody
    else submits its drafts meanwhile) and takes the next when its drafts are spent; what is left when the
    run ends goes back to the pool. `ran_out` counts the clients that found the pool empty and stopped."""

    def __init__(self, applicants: list[Applicant]):
        self.free = deque(applicants)
        self.lock = threading.Lock()
        self.ran_out = 0

    def take(self) -> Applicant | None:
        with self.lock:
            while self.free:
                applicant = self.free.popleft()
                if applicant.drafts:
                    return applicant
            self.ran_out += 1
            return None

    def give_back(self, applicant: Applicant | None) -> None:
        if applicant is not None and applicant.drafts:
            with self.lock:
                self.free.append(applicant)

    def left(self) -> int:
        with self.lock:
            return sum(len(a.drafts) for a in self.free)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def _form(base: str, form_path: str, jar: dict) -> dict:
    """The hidden fields of the form on `form_path` (a fresh CSRF token; the version if it has one); the
    answer may set a new session cookie (the CSRF secret lives in the session), kept in `jar`."""
    with OPENER.open(urllib.request.Request(base + form_path, headers={"Cookie": cookies(jar)}),
                     timeout=30) as answer:
        page = answer.read().decode()
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _sep, value = header.split(";", 1)[0].partition("=")
            jar[name.strip()] = value
    fields = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)}
    version = re.search(r'name="version" value="(\d+)"', page)
    if version:
        fields["version"] = version.group(1)
    return fields


def _post(base: str, path: str, jar: dict, body: dict, expect: str) -> tuple[bool, float]:
    """(answered the expected redirect, ms) of one POST; a 200 is the form again, with an error."""
    data = urllib.parse.urlencode(body).encode()
    started = time.perf_counter()
    try:
        OPENER.open(urllib.request.Request(base + path, data=data, headers={"Cookie": cookies(jar)}),
                    timeout=30).read()
        ok = False
    except urllib.error.HTTPError as answer:
        ok = answer.code == 302 and expect in (answer.headers.get("Location") or "")
    except OSError:  # no answer (a reset connection, a timeout)
        ok = False
    return ok, (time.perf_counter() - started) * 1000


def post_loop(base: str, page, cookie: str, clients: int, duration: int) -> tuple[float, list[float]]:
    """`clients` threads, each: GET the form, POST it, for `duration` seconds; (POSTs per second, the
    POSTs' latencies in ms). An answer but the redirect to `page.expect` is an error (`page.errors`). With
    `page.pool` each POST uses up one draft; a client that finds no draft left stops (`pool.ran_out`)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def send(application_id: int, jar: dict) -> None:
        """One GET of the form and its POST; a form that does not come (an error answer, no token) is
        an error too, without a latency."""
        try:
            body = dict(_form(base, page.form.format(id=application_id), jar), **page.body)
        except (OSError, AttributeError):
            with lock:
                page.errors += 1
            return
        ok, ms = _post(base, page.path.format(id=application_id), jar, body, page.expect)
        with lock:
            latencies.append(ms)
            page.errors += 0 if ok else 1

    def saver(application_id: int) -> None:
        jar = jar_of(cookie)
        while time.monotonic() < stop:
            send(application_id, jar)

    def submitter() -> None:
        applicant = None
        try:
            while time.monotonic() < stop:
                if applicant is None or not applicant.drafts:
                    applicant = page.pool.take()
                    if applicant is None:
                        return
                send(applicant.drafts.popleft(), applicant.jar)  # never used again, whatever the answer
        finally:
            page.pool.give_back(applicant)

    if page.pool is not None:
        threads = [threading.Thread(target=submitter) for _n in range(clients)]
    else:
        threads = [threading.Thread(target=saver, args=(a,)) for a in page.drafts[:clients]]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies

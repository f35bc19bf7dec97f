"""`make bench`: the pages a person waits for at a deadline, served by gunicorn (2 workers) on the
province-scale data set (bench/dataset.py), loaded by wrk from a second process on 127.0.0.1, on
PostgreSQL 15 and on SQLite, beside three baselines measured in the same run (bench/wsgi.py).

    scripts/pg_test_cluster.sh run .venv/bin/python bench/load.py [--duration 5] [--rounds 3]

Per page: requests/s at 20 connections, and p50/p95 latency at 2 connections. Rounds interleave a
baseline and a project page (baseline, page, baseline, page, ...); the table gives the median over
the rounds and the ratios to the stock FAB list and to FAB's index page, since absolute figures on
a shared machine drift. With --write, the table replaces the bench section of docs/performance.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ZC_SCHEDULER_ENABLED", "0")

from bench.drafts import SUMMARY  # noqa: E402
from bench.posts import Applicant, DraftPool, post_loop  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench/load.py: start -->", "<!-- bench/load.py: end -->"
PASSWORD = os.environ.get("ZC_DEMO_PASSWORD", "Demo@2026")
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP95 %d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


@dataclass
class Page:
    label: str
    user: str | None
    path: str
    baseline: bool = False
    pdf: bool = False  # the answer must be a PDF (a refused download redirects to the preview)
    form: str = ""  # a POST: the page whose form it sends (a fresh CSRF token and version per request)
    drafts: tuple = ()  # the POST's applications ({id} in path and form), one per client: no two race
    body: dict = field(default_factory=dict)  # what the POST sends beside the form's hidden fields
    expect: str = ""  # where the POST's redirect must lead (a part of its address)
    pool: DraftPool | None = None  # drafts each submitted once, per applicant (set once signed in)
    applicants: tuple = ()  # (username, draft ids) of the pool
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)
    errors: int = 0


def pages(ids) -> tuple[list[Page], list[Page]]:
    baselines = [Page("bare Flask route (ceiling)", None, "/bench/bare", True),
                 Page("FAB's own index page, signed in", "admin", "/bench/fab-index/", True),
                 Page("stock FAB ModelView list, unit column", "admin", "/bench/stock/list/", True)]
    project = [
        Page("数据审核 queue, 10,000 待审核", "demo_unit", "/review/"),
        Page("数据审核 queue sorted by 姓名", "demo_unit", "/review/?status=passed_unit&sort=name"),
        Page("数据上报 委托评审 tab", "demo_unit", "/report/?tab=entrusted"),
        Page("数据上报 非委托评审 tab", "demo_unit", "/report/?tab=not_entrusted"),
        Page("数据上报 已上报 tab", "demo_unit", "/report/?tab=reported"),
        Page("review page of one application", "demo_unit", f"/review/{ids.queued_application}"),
        Page("我的申报信息 among 200,000", "demo_person", "/applications/"),
        Page("application overview", "demo_person", f"/applications/{ids.own_application}"),
        Page("unit picker search, 20,000 units", "demo_person", "/pickers/units?q=%E6%96%87%E5%8C%96&page=3"),
        Page("login page, anonymous", None, "/login/"),
        Page("数据审核 queue of 1,000, first page", "bench_unit_small", "/review/"),
        Page("数据审核 queue of 1,000, last page", "bench_unit_small", "/review/?last=1"),
        Page("数据审核 queue of 100,000, first page", "bench_unit_big", "/review/"),
        Page("数据审核 queue of 100,000, last page", "bench_unit_big", "/review/?last=1"),
        Page("committee office's 资格复审 list, 4,000 reported", "demo_committee", "/committee/"),
        Page("/verify, QR look-up among 100,000 certificates", None,
             f"/verify?no={urllib.parse.quote(ids.certificate_number)}&code={urllib.parse.quote(ids.certificate_code)}"),
        Page(f"section save (POST; Python clients, {min(20, len(ids.drafts))} at once for req/s)", "demo_person",
             "/applications/{id}/sections/work_summary/text", form="/applications/{id}/sections/work_summary",
             drafts=ids.drafts, body={"text": SUMMARY}),
        Page(f"submission (POST; Python clients, {min(20, len(ids.submissions))} at once for req/s)",
             ids.submissions[0][0] if ids.submissions else None, "/applications/{id}/submit",
             form="/applications/{id}", expect="/timeline", applicants=ids.submissions),
        Page("统计 overview of the region's applications (人社局)", "demo_bureau", "/overview/"),
        Page("PDF: 评审表 of an application (wkhtmltopdf)", "demo_person",
             f"/applications/{ids.own_application}/forms/review_form.pdf", pdf=True),
        Page("PDF: signed e-certificate (wkhtmltopdf + PAdES)", "demo_person",
             f"/certificates/{ids.certificate_id}/download", pdf=True),
    ]
    # without drafts (--submissions 0) there is no submission to measure
    return baselines, [p for p in project if not p.form or p.drafts or p.applicants]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(url: str, applications: int, submissions: int):
    from flask_migrate import upgrade

    from app.extensions import db
    from bench import dataset
    from bench.wsgi import bench_app

    app = bench_app({"DATABASE_URL": url, "CAPTCHA_ENABLED": False, "SCHEDULER_ENABLED": False})
    with app.app_context():
        if url.startswith("postgresql"):
            from flask_migrate import downgrade

            downgrade(revision="base")
        upgrade()
        started = time.perf_counter()
        ids = dataset.build(applications=applications, submissions=submissions,
                            progress=lambda what: print(f"  built: {what}", flush=True))
        print(f"  data set in {time.perf_counter() - started:.0f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    return ids


class Server:
    def __init__(self, url: str, workers: int):
        self.port = free_port()
        # the public look-up's limit per address (10/minute) would refuse wrk's requests from one address
        # and the login's (30/minute) the sign-in of the submission's applicants, one after the other
        env = dict(os.environ, ZC_DATABASE_URL=url, ZC_CAPTCHA_ENABLED="0", ZC_SCHEDULER_ENABLED="0",
                   ZC_SESSION_IDLE_MINUTES="600", ZC_SECRET_KEY="bench-only-secret",
                   ZC_RATELIMIT_VERIFY_PER_ADDRESS="1000000/minute", ZC_RATELIMIT_LOGIN_PER_ADDRESS="1000000/minute")
        self.log = tempfile.NamedTemporaryFile(prefix="zc-bench-gunicorn-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--chdir", str(ROOT), "--log-level", "warning", "bench.wsgi:app"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/bench/bare", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not start; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)

    def cookie(self, username: str | None) -> str:
        """The session cookie of `username` after signing in through the login form (CSRF and all)."""
        if username is None:
            return ""
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        page = opener.open(self.base + "/login/").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "captcha": "",
                                       "csrf_token": token}).encode()
        try:
            opener.open(self.base + "/login/", data=form)
        except urllib.error.HTTPError as answer:
            if answer.code != 302:
                raise SystemExit(f"login of {username} answered {answer.code}")
        return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(base: str, page: Page, cookie: str, connections: int, threads: int, duration: int,
        script: str | None) -> str:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [base + page.path], capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    page.errors += int(bad.group(1)) if bad else 0
    return out


def settle(server: Server) -> None:
    """Wait until the workers have answered what a previous run left queued (wrk stops sending, the
    server goes on), so that each run starts on idle workers."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with urllib.request.urlopen(server.base + "/bench/bare", timeout=120) as answer:
            answer.read()
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.5)


def ran_out(page: Page) -> int:
    """How many clients of `page` found no draft left and stopped (0 for pages without a pool)."""
    return page.pool.ran_out if page.pool is not None else 0


def measure(server: Server, page: Page, cookie: str, duration: int, script: str) -> None:
    if page.form:
        settle(server)
        page.rps.append(post_loop(server.base, page, cookie, 20, duration)[0])
        settle(server)
        latencies = sorted(post_loop(server.base, page, cookie, 2, duration)[1])
        if latencies:  # none when the drafts ran out before (counted in page.pool.ran_out)
            page.p50.append(statistics.median(latencies))
            page.p95.append(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))])
        return
    settle(server)
    out = wrk(server.base, page, cookie, 20, 2, duration, None)
    page.rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
    settle(server)
    out = wrk(server.base, page, cookie, 2, 1, duration, script)
    page.p50.append(int(re.search(r"P50 (\d+)", out).group(1)) / 1000)
    page.p95.append(int(re.search(r"P95 (\d+)", out).group(1)) / 1000)


def report_500(url: str) -> tuple[int, float]:
    """Seconds for one 数据上报 of 500 applications by demo_unit to a committee (the command in-process,
    on the same data: the page's POST adds one request's overhead to it)."""
    from sqlalchemy import select

    from app.clock import utcnow
    from app.commands.review.report import ReportCommand
    from app.extensions import db
    from app.models.applications import Application
    from app.models.catalog import Committee, Title
    from app.models.units import ReportingPath, Unit
    from bench.wsgi import bench_app

    app = bench_app({"DATABASE_URL": url, "CAPTCHA_ENABLED": False, "SCHEDULER_ENABLED": False})
    with app.test_request_context("/report/report", method="POST"):
        user = app.appbuilder.sm.find_user(username="demo_unit")
        unit = db.session.execute(select(Unit).where(Unit.user_id == user.id)).scalar_one()
        title = db.session.execute(select(Title).limit(1)).scalar_one()
        committee = Committee(name="基准测试评委会（数据上报）", series_id=title.series_id, level_id=title.level_id,
                              region_id=unit.region_id)
        db.session.add(committee)
        db.session.flush()
        db.session.add(ReportingPath(unit_id=unit.id, business_set="review", series_id=title.series_id,
                                     level_id=title.level_id, committee_id=committee.id, status="effective",
                                     created_at=utcnow()))
        db.session.commit()
        ids = db.session.execute(select(Application.id).where(Application.current_unit_id == unit.id,
                                                              Application.status == "passed_unit")
                                 .order_by(Application.id).limit(500)).scalars().all()
        started = time.perf_counter()
        reported = ReportCommand(user, [str(i) for i in ids]).run()
        elapsed = time.perf_counter() - started
        assert len(reported) == len(ids), (len(reported), len(ids))
        db.session.remove()
        db.engine.dispose()
    return len(ids), elapsed


def run_database(name: str, url: str, args) -> tuple[list[Page], tuple[int, float]]:
    print(f"== {name}: building the data set", flush=True)
    ids = build(url, args.applications, args.submissions)
    baselines, project = pages(ids)
    if args.only:  # a quick look at some pages (the table is then not the benchmark)
        project = [p for p in project if args.only in p.label]
    server = Server(url, args.workers)
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(LUA)
    script.close()
    try:
        cookies = {user: server.cookie(user) for user in {p.user for p in baselines + project}}
        for page in project:
            if page.applicants:  # each applicant signs in once, before anything is measured
                page.pool = DraftPool([Applicant(cookies.get(user) or server.cookie(user), drafts)
                                       for user, drafts in page.applicants])
        for page in baselines + project:  # warm up every page once, and fail early on an error
            first = page.drafts[0] if page.drafts else page.applicants[0][1][0] if page.applicants else 0
            request = urllib.request.Request(server.base + (page.form or page.path).format(id=first),
                                             headers={"Cookie": cookies[page.user]})
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status == 200, (page.path, answer.status)
                assert not page.pdf or answer.headers["Content-Type"] == "application/pdf", (page.path, answer.url)
        for round_no in range(1, args.rounds + 1):
            print(f"== {name}: round {round_no} of {args.rounds}", flush=True)
            for n, page in enumerate(project):
                baseline = baselines[n % len(baselines)]
                for each in (baseline, page):
                    measure(server, each, cookies[each.user], args.duration, script.name)
                    print(f"  {each.label:40} {each.rps[-1]:8.0f} req/s  p95 {each.p95[-1] if each.p95 else 0:6.1f} ms"
                          f"{f'  ({each.errors} errors)' if each.errors else ''}"
                          f"{f'  ({each.pool.left():,} drafts left)' if each.pool else ''}"
                          f"{f'  (RAN OUT OF DRAFTS: {each.pool.ran_out} clients stopped)' if ran_out(each) else ''}",
                          flush=True)
    finally:
        server.stop()
        os.unlink(script.name)
    return baselines + project, report_500(url)


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "–"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}" if base else "–"


def table(name: str, measured: list[Page], report: tuple[int, float]) -> str:
    stock = statistics.median(next(p for p in measured if p.path == "/bench/stock/list/").rps or [0])
    index = statistics.median(next(p for p in measured if p.path == "/bench/fab-index/").rps or [0])
    lines = [f"**{name}**", "",
             "| page | req/s at 20 conn. | × stock FAB list | × FAB index | p50 ms (2 conn.) | p95 ms (2 conn.) | runs |",
             "|---|---|---|---|---|---|---|"]
    for page in measured:
        if not page.rps:  # a baseline that --only left out
            continue
        rps = statistics.median(page.rps)
        flag = f" ({page.errors} answers ≥ 400!)" if page.errors else ""
        if ran_out(page):
            flag += f" (ran out of drafts: {ran_out(page)} clients stopped early!)"
        label = f"*{page.label}*" if page.baseline else page.label
        lines.append(f"| {label}{flag} | {rps:.0f} | {ratio(rps, stock)} | {ratio(rps, index)} | "
                     f"{median(page.p50)} | {median(page.p95)} | {len(page.rps)} |")
    notes = []
    for page in measured:
        if page.pool is not None:
            total = sum(len(drafts) for _user, drafts in page.applicants)
            notes.append(f"The submission used {total - page.pool.left():,} of {total:,} complete drafts"
                         + (f" and RAN OUT ({ran_out(page)} clients stopped early)." if ran_out(page) else "."))
    notes.append(f"One 数据上报 of {report[0]} applications to a committee: {report[1]:.2f} s.")
    lines += ["", " ".join(notes)]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in doc:
        doc = doc[:doc.index(START)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip() + "\n\n## Served by gunicorn at province scale (`make bench`)\n\n" + block + "\n"
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--submissions", type=int, default=3_000,
                        help="complete drafts for the submission, each submitted once (a run that uses them all "
                             "up stops its clients and says so)")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    parser.add_argument("--write", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs the Debian package")
    results = []
    workdir = tempfile.mkdtemp(prefix="zc-bench-")
    for name in args.databases.split(","):
        if name == "postgresql":
            url = os.environ.get("ZC_TEST_DATABASE_URL")
            if not url:
                raise SystemExit("PostgreSQL needs ZC_TEST_DATABASE_URL: run through scripts/pg_test_cluster.sh run")
            label = "PostgreSQL 15"
        else:
            url, label = f"sqlite:///{workdir}/bench.db", "SQLite"
        results.append(table(f"{label}, gunicorn {args.workers} workers", *run_database(name, url, args)))
    shutil.rmtree(workdir, ignore_errors=True)
    command = (f"make bench  (scripts/pg_test_cluster.sh run .venv/bin/python bench/load.py --duration "
               f"{args.duration} --rounds {args.rounds}"
               f"{'' if args.databases == 'postgresql,sqlite' else ' --databases ' + args.databases} --write)")
    header = (f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
              f"({os.cpu_count()} cores, Python {platform.python_version()}), {args.applications:,} applications, "
              f"wrk {args.duration} s per run, medians over {args.rounds} rounds. Command: `{command}`. Baselines in "
              f"*italics*; ratios are req/s of the row over the baseline's.")
    text = header + "\n\n" + "\n\n".join(results)
    print("\n" + text)
    if args.write:
        write_doc(text)
        print(f"\nwritten into {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

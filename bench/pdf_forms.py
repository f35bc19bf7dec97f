"""Seconds per PDF of the application forms (P10), through the Flask test client on a fresh SQLite
database: a submitted review application with full sections (15 achievements, 1200 characters of
work summary), downloaded as the applicant, each form `--runs` times.

    .venv/bin/python bench/pdf_forms.py [--runs 5] [--save /tmp/forms]

It measures the whole request: row check, queries, template and the wkhtmltopdf process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("ZC_SCHEDULER_ENABLED", "0")

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

PASSWORD = "Qiu-lan7Hai"
ENTRIES = {  # field names of app/workflow/sections.py
    "education": [{"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "山东大学",
                   "major": "文化产业管理", "graduated_on": "2015-06-30", "schooling": "4年", "foreign": False,
                   "chsi_code": "A1234567890123"}],
    "current_title": [{"level": "初级", "series": "群众文化", "title": "助理馆员", "obtained_on": "2019-12-01",
                       "appointed_on": "2020-01-01", "appointment_years": "6"}],
    "assessment": [{"year": 2020 + i, "post": "助理馆员", "result": "合格" if i % 2 else "优秀",
                    "assessor": "威海市环翠区文化馆"} for i in range(6)],
    "language_computer": [{"kind": "外语", "language": "英语", "level": "大学英语四级", "obtained_on": "2013-06-01"}],
    "work_experience": [{"started_on": f"{2015 + 2 * i}-07-01", "ended_on": f"{2017 + 2 * i}-06-30",
                         "unit": "威海市环翠区文化馆-群文部-助理馆员", "post": "助理馆员"} for i in range(5)],
    "achievements": [{"name": f"《社区文化建设实践》获山东省群星奖{i + 1}等奖", "category": "获奖",
                      "date": "2023-05-01", "rank": "1/3", "note": "山东省文化和旅游厅"} for i in range(15)],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--save", help="a folder to keep one PDF of each form in")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="zc-bench-")
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir}/bench.db", "CAPTCHA_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "SCHEDULER_ENABLED": False, "DEMO_PASSWORD": PASSWORD})
    from flask_migrate import upgrade

    from app import demo
    from app.cli import sync_roles_and_permissions
    from app.models.applications import ApplicationSection, SectionEntry
    from tests.factories import make_application, make_person

    with app.app_context():
        upgrade()
        sync_roles_and_permissions()
        demo.load()
        ids = {}
        for business, username, id_number in (("review", "wangwu", "11010519491231002X"),
                                              ("recognition", "zhaoliu", "110105198001010032")):
            user = make_person(username=username, id_number=id_number)
            application = make_application(user, business=business, status="final_passed" if business != "review"
                                           else "pending_unit", submitted_at=dt.datetime(2026, 11, 20, 1))
            for section, rows in ENTRIES.items():
                for position, data in enumerate(rows):
                    db.session.add(SectionEntry(application_id=application.id, section=section, position=position,
                                                data=data))
            db.session.add(ApplicationSection(application_id=application.id, section="work_summary",
                                              status="filled", text=("任现职以来，主持开展社区群众文化活动，" * 60)[:1200]))
            db.session.commit()
            ids[business] = (username, application.id)

    for business, kinds in (("review", ("review_form", "review_brief")), ("recognition", ("recognition_form",))):
        username, application_id = ids[business]
        client = app.test_client()
        assert client.post("/login/", data={"username": username, "password": PASSWORD}).status_code == 302
        for kind in kinds:
            url = f"/applications/{application_id}/forms/{kind}.pdf"
            client.get(url)  # warm-up: templates compiled, fonts cached
            started = time.perf_counter()
            for _ in range(args.runs):
                response = client.get(url)
                assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
            seconds = (time.perf_counter() - started) / args.runs
            print(f"{kind:18} {seconds:.3f} s per PDF ({len(response.data) // 1024} KiB, {args.runs} runs)")
            if args.save:
                Path(args.save).mkdir(parents=True, exist_ok=True)
                Path(args.save, f"{kind}.pdf").write_bytes(response.data)


if __name__ == "__main__":
    main()

"""The architecture of app/ as rules the build checks (docs/architecture.md): the import layers
(.importlinter), one place that commits, views that do not write, and files a newcomer can hold."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 300


def _python_files():
    return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


def test_import_layers_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=APP.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_only_the_transaction_helper_commits_or_rolls_back():
    pattern = re.compile(r"session\.(commit|rollback)\(")
    offenders = [f"{p.relative_to(APP)}:{n}" for p in _python_files() if p.name != "base.py" or p.parent.name != "commands"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_views_and_api_do_not_write_to_the_session():
    pattern = re.compile(r"db\.session\.(add|add_all|delete|flush|merge|execute\((insert|update|delete))")
    offenders = [f"{p.relative_to(APP)}:{n}" for folder in ("views", "api") for p in sorted((APP / folder).rglob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


QUERY = re.compile(r"db\.session\.(execute|get|query|scalar|scalars)\(|\bselect\(")


def test_views_and_api_leave_every_query_to_the_daos():
    """Views and the API parse the request and render: each read goes through app/daos/ (FAB's own
    SQLAInterface over db.session and a no_autoflush block are not queries)."""
    offenders = [f"{p.relative_to(APP)}:{n}" for folder in ("views", "api") for p in sorted((APP / folder).rglob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) if QUERY.search(line)]
    assert offenders == []


def test_the_query_rule_sees_the_usual_forms():
    seen = ["rows = db.session.execute(select(Unit)).scalars()", "unit = db.session.get(Unit, 3)",
            "query_func=lambda: db.session.query(Role)", "db.session.scalar(q)"]
    unseen = ["interface = SQLAInterface(Unit, db.session)", "with db.session.no_autoflush:",
              "units = dao.units_of(user)"]
    assert all(QUERY.search(line) for line in seen)
    assert not any(QUERY.search(line) for line in unseen)


def test_no_file_over_the_limit():
    long = {str(p.relative_to(APP)): n for p in _python_files() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_the_contract_catches_an_upward_import(tmp_path):
    """The contract is not vacuous: a model importing a view breaks it."""
    import shutil

    copy = tmp_path / "app"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    (copy / "models" / "zz_bad.py").write_text("from app.views import home  # noqa\n")
    shutil.copy(APP.parent / ".importlinter", tmp_path / ".importlinter")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "app.models.zz_bad -> app.views" in result.stdout

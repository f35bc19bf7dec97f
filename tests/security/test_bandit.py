"""Bandit over app/: no finding of medium or high severity, whatever its confidence. A finding that is
not a hole is silenced on its line with `# nosec BXXX: why`, and every such mark must name the test it
silences and give the reason (a bare `# nosec` would silence every test on the line, unexplained)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
JUSTIFIED = re.compile(r"#\s*nosec\s+B\d{3}(,\s*B\d{3})*:\s*\S.{10,}")


def test_bandit_finds_nothing_of_medium_or_high_severity():
    result = subprocess.run(  # nosec B603: a fixed command line, no input from outside
        [sys.executable, "-m", "bandit", "-r", str(APP), "-f", "json", "-q", "--severity-level", "medium"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), f"bandit did not run: {result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    assert not report["errors"], f"bandit could not read: {report['errors']}"
    assert report["metrics"]["_totals"]["loc"] > 1000, "bandit scanned (almost) nothing"
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} ({r['issue_severity']}): {r['issue_text']}"
                for r in report["results"] if r["issue_severity"] in ("MEDIUM", "HIGH")]
    assert not findings, "bandit findings (fix them, or justify each with `# nosec BXXX: why`):\n" + \
        "\n".join(findings)


def test_every_nosec_names_its_test_and_a_reason():
    bare = []
    for path in sorted(APP.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#\s*nosec\b", line) and not JUSTIFIED.search(line):
                bare.append(f"{path.relative_to(APP.parent)}:{number}: {line.strip()}")
    assert not bare, "`# nosec` without a test id and a reason:\n" + "\n".join(bare)

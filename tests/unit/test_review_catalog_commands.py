"""The review, report and catalog code keeps its writes in commands: every command class there is a
BaseCommand (one transaction, rolled back on any error), and no module of those packages, of their
views or of the DAOs commits or rolls back by hand."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

from app.commands.base import BaseCommand

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app.commands.review", "app.commands.catalog")
FILES = ["app/views/review.py", "app/views/report.py", "app/views/pickers.py", "app/views/labels.py",
         *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/views/catalog").glob("*.py")),
         *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/daos").glob("*.py")),
         *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/commands/review").glob("*.py")),
         *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/commands/catalog").glob("*.py"))]


def _command_classes():
    for package in PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            for name, value in vars(module).items():
                if inspect.isclass(value) and name.endswith("Command") and value.__module__ == module.__name__:
                    yield value


def test_the_packages_define_commands():
    names = {cls.__name__ for cls in _command_classes()}
    assert {"PassCommand", "ReturnCommand", "FinalPassCommand", "BlacklistCommand", "ReportCommand",
            "UpdateReportFieldsCommand", "ImportCatalogCsvCommand", "SaveCatalogRowCommand",
            "DeleteCatalogRowCommand"} <= names


@pytest.mark.parametrize("cls", list(_command_classes()), ids=lambda cls: cls.__name__)
def test_every_command_is_a_base_command(cls):
    assert issubclass(cls, BaseCommand)


def test_no_commit_or_rollback_by_hand():
    found = [f"{path}:{n}" for path in FILES
             for n, line in enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"session\.(commit|rollback)\(", line)]
    assert len(FILES) > 15 and not found, found

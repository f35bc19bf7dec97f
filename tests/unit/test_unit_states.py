"""The states of the units' records (app/workflow/unit_states.py): the tables refuse what they do not
list, and every action a unit command moves a row by is in the table it names."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.workflow import unit_states as us
from app.workflow.states import TransitionNotAllowed

COMMANDS = Path(__file__).resolve().parents[2] / "app" / "commands" / "units"


def test_decisions_leave_only_the_waiting_state_and_only_for_the_reviewer():
    assert us.next_status(us.PERMISSION_TRANSITIONS, "approve", "submitted", "Bureau") == "approved"
    assert us.next_status(us.PATH_TRANSITIONS, "reject", "pending", "Committee") == "rejected"
    assert us.next_status(us.AUTHORITY_TRANSITIONS, "approve", "pending", "Bureau") == "approved"
    for table, action, source, role in (
            (us.PERMISSION_TRANSITIONS, "approve", "approved", "Bureau"),   # decided twice
            (us.PERMISSION_TRANSITIONS, "approve", "draft", "Bureau"),      # never submitted
            (us.PERMISSION_TRANSITIONS, "approve", "submitted", "Unit"),    # the unit grants itself
            (us.PERMISSION_TRANSITIONS, "save", "submitted", "Unit"),       # read-only once submitted
            (us.PATH_TRANSITIONS, "approve", "rejected", "Unit"),
            (us.AUTHORITY_TRANSITIONS, "approve", "pending", "Unit"),
            (us.AUTHORITY_TRANSITIONS, "reject", "approved", "Bureau")):
        with pytest.raises(TransitionNotAllowed):
            us.next_status(table, action, source, role)


def test_the_queues_wait_on_the_states_the_reviewers_decide():
    assert [us.waiting(t) for t in (us.PERMISSION_TRANSITIONS, us.PATH_TRANSITIONS, us.AUTHORITY_TRANSITIONS)] == [
        "submitted", "pending", "pending"]


def _moves():
    """(file, table name, action) of every move(row, TABLE, "action", …) and every DecideCommand's table."""
    found = []
    for path in sorted(COMMANDS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "move" and len(node.args) >= 3:
                table, action = node.args[1], node.args[2]
                if isinstance(table, ast.Name) and isinstance(action, ast.Constant):
                    found.append((path.name, table.id, action.value))
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "DecideCommand" for b in node.bases):
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Tuple):
                        names = [getattr(t, "id", "") for t in stmt.targets[0].elts] if isinstance(
                            stmt.targets[0], ast.Tuple) else []
                        if "table" in names:
                            table = stmt.value.elts[names.index("table")].id
                            found += [(path.name, table, "approve"), (path.name, table, "reject")]
    return found


def test_every_action_a_unit_command_takes_is_in_its_table():
    moves = _moves()
    assert {f for f, _t, _a in moves} >= {"permission.py", "paths.py", "authority.py"}, moves
    for filename, table, action in moves:
        assert action in {t.action for t in getattr(us, table)}, f"{filename}: {action} is not in {table}"

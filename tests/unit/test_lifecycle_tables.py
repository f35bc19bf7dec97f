"""Every action a command names is in a lifecycle table. The test reads the source of every module under
app/commands (ast, nothing imported) and finds the action strings passed to the workflow's apply(),
transition(), section_transition() and those compared with allowed_actions() (`"cancel" in
allowed_actions(...)`); an action held in a variable is resolved to the strings bound to that name in the
same module, and one passed in as a parameter to what the callers pass (in any command module). Each must be an action of the table the function reads: app/workflow/states.py
TRANSITIONS for the application, SECTION_TRANSITIONS for sections, and the *TRANSITIONS tables of any
other app/workflow module for its own functions."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ROOT / "app" / "commands"
STATES, LIFECYCLE = "app.workflow.states", "app.workflow.lifecycle"
# function name -> index of its action argument (None: compared with `in`)
ACTION_ARG = {"apply": 1, "transition": 0, "section_transition": 0, "allowed_actions": None}


def _tables(module_name: str) -> set[str]:
    """The actions of every *TRANSITIONS table of a workflow module."""
    module = importlib.import_module(module_name)
    actions: set[str] = set()
    for name in dir(module):
        if name.endswith("TRANSITIONS"):
            actions |= {t.action for t in getattr(module, name)}
    return actions


def table_for(origin: str, function: str) -> set[str] | None:
    """The actions `function` of module `origin` accepts, or None when it reads no table we know."""
    from app.workflow import states

    if origin in (STATES, LIFECYCLE):
        table = states.SECTION_TRANSITIONS if function == "section_transition" else states.TRANSITIONS
        return {t.action for t in table}
    if origin.startswith("app.workflow."):
        return _tables(origin) or None
    return None


def _target_key(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return f"self.{node.attr}"
    return None


def _targets(node: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """(target, value) pairs a statement binds: assignments, for loops and comprehensions."""
    if isinstance(node, ast.Assign):
        return [(t, node.value) for t in node.targets]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
        return [(node.target, node.value)]
    if isinstance(node, (ast.For, ast.comprehension)):
        return [(node.target, node.iter)]
    return []


class _Module:
    """One module's bindings by scope and its workflow calls."""

    def __init__(self, tree: ast.Module):
        self.imported: dict[str, str] = {}  # local name -> module it came from (functions and modules)
        self.functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        # scope (a function or class node, or the module) -> key -> values bound to it
        self.bindings: dict[ast.AST, dict[str, list[ast.AST]]] = {}
        self.uses: list[tuple[int, str, str, ast.AST, list[ast.AST]]] = []  # line, fn, origin, arg, scopes
        self.calls: dict[str, list[tuple[ast.Call, list]]] = {}  # every call, by the name called
        self.tree = tree
        # class attributes (`action = "pass"` in a class body) by class name, with the names of its bases:
        # `self.action` in a method is what the class or any subclass (in any module) binds
        self.classes: dict[str, tuple[list[str], dict[str, list[ast.AST]]]] = {}
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            attrs: dict[str, list[ast.AST]] = {}
            for statement in cls.body:
                for target, value in _targets(statement):
                    if isinstance(target, ast.Name):
                        attrs.setdefault(target.id, []).append(value)
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases]
            self.classes[cls.name] = (bases, attrs)
        self._walk(tree, [tree])

    def _bind(self, scopes, target, value) -> None:
        if isinstance(target, ast.Tuple):
            pairs = list(zip(target.elts, value.elts)) if isinstance(value, ast.Tuple) and len(
                value.elts) == len(target.elts) else [(element, value) for element in target.elts]
        else:
            pairs = [(target, value)]
        for element, value in pairs:
            key = _target_key(element)
            if key is None:
                continue
            # self.x belongs to the class, a plain name to the innermost function (or class, or module)
            scope = next((s for s in reversed(scopes) if isinstance(s, ast.ClassDef)), scopes[0]) \
                if key.startswith("self.") else scopes[-1]
            self.bindings.setdefault(scope, {}).setdefault(key, []).append(value)

    def _walk(self, node, scopes) -> None:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                origin = f"app.workflow.{alias.name}" if node.module == "app.workflow" else node.module
                self.imported[alias.asname or alias.name] = origin
        for target, value in _targets(node):
            self._bind(scopes, target, value)
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if called:
                self.calls.setdefault(called, []).append((node, list(scopes)))
            callee = self._callee(node.func)
            if callee is not None and ACTION_ARG[callee[0]] is not None:
                index = ACTION_ARG[callee[0]]
                argument = next((k.value for k in node.keywords if k.arg == "action"), None)
                if argument is None and len(node.args) > index:
                    argument = node.args[index]
                if argument is not None:
                    self.uses.append((node.lineno, *callee, argument, list(scopes)))
        if isinstance(node, ast.Compare):  # "cancel" in allowed_actions(...)
            for op, right in zip(node.ops, node.comparators):
                if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Call):
                    callee = self._callee(right.func)
                    if callee is not None and callee[0] == "allowed_actions":
                        self.uses.append((node.lineno, *callee, node.left, list(scopes)))
        inner = scopes + [node] if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Lambda)) else scopes
        for child in ast.iter_child_nodes(node):
            self._walk(child, inner)

    def _callee(self, func: ast.AST) -> tuple[str, str] | None:
        """(function name, module it comes from) of a workflow call, else None."""
        if isinstance(func, ast.Name) and func.id in ACTION_ARG and func.id in self.imported:
            return func.id, self.imported[func.id]
        if (isinstance(func, ast.Attribute) and func.attr in ACTION_ARG and isinstance(func.value, ast.Name)
                and self.imported.get(func.value.id, "").startswith("app.workflow")):
            return func.attr, self.imported[func.value.id]
        return None

    def strings(self, node: ast.AST, scopes: list, seen: frozenset = frozenset()) -> list[str] | None:
        """The strings an expression can evaluate to, following names to what the module binds to them
        (nearest scope first) and calls of the module's own functions to what they return; None when the
        value comes from somewhere this module does not show."""
        def each(nodes, inner_scopes=scopes):
            found = []
            for n in nodes:
                more = self.strings(n, inner_scopes, seen)
                if more is None:
                    return None
                found += more
            return found

        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else []
        if isinstance(node, (ast.Name, ast.Attribute)):
            key = _target_key(node)
            if key is None or key in seen:
                return None if key is None else []
            values = next((self.bindings[s][key] for s in reversed(scopes) if key in self.bindings.get(s, {})), None)
            if values is None:
                return None
            seen = seen | {key}
            return each(values)
        if isinstance(node, ast.IfExp):
            return each([node.body, node.orelse])
        if isinstance(node, ast.BoolOp):
            return each(node.values)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return each(node.elts)
        if isinstance(node, ast.Dict):
            return each(node.values)
        if isinstance(node, ast.Subscript):
            return self.strings(node.value, scopes, seen)
        if isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            return self.strings(node.elt, scopes, seen)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "next":
                return each(node.args)
            function = self.functions.get(node.func.id)
            if function is not None and function.name not in seen:
                seen = seen | {function.name}
                returns = [r.value for r in ast.walk(function) if isinstance(r, ast.Return) and r.value is not None]
                return each(returns, [self.tree, function])
        return None


def _parameter(argument: ast.AST, scopes: list) -> tuple[ast.FunctionDef, int, str] | None:
    """(function, position at its call sites, name) when `argument` is a parameter of the function it is
    used in: the action is then whatever that function's callers pass."""
    function = next((s for s in reversed(scopes) if isinstance(s, ast.FunctionDef)), None)
    if function is None or not isinstance(argument, ast.Name):
        return None
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    if argument.id not in names + [a.arg for a in function.args.kwonlyargs]:
        return None
    index = names.index(argument.id) if argument.id in names else -1
    if index >= 0 and names[:1] in (["self"], ["cls"]):
        index -= 1  # called as obj.method(...)
    return function, index, argument.id


def _passed(modules: list[_Module], function: ast.FunctionDef, index: int, name: str, depth: int):
    """The strings every caller (in any of `modules`) passes as parameter `name`; None when one cannot be read."""
    found, callers = [], 0
    for module in modules:
        for call, scopes in module.calls.get(function.name, []):
            argument = next((k.value for k in call.keywords if k.arg == name), None)
            if argument is None and 0 <= index < len(call.args):
                argument = call.args[index]
            if argument is None:
                continue  # the parameter's default
            callers += 1
            more = _read(modules, module, argument, scopes, depth + 1)
            if more is None:
                return None
            found += more
    return found if callers else None


def _class_attribute(modules: list[_Module], argument: ast.AST, scopes: list) -> list[str] | None:
    """What the class a method belongs to, and its subclasses in `modules`, bind to the attribute of
    `self.<name>` in their class bodies; None when none does."""
    key = _target_key(argument)
    owner = next((s for s in reversed(scopes) if isinstance(s, ast.ClassDef)), None)
    if key is None or not key.startswith("self.") or owner is None:
        return None
    family, grown = {owner.name}, True
    while grown:  # the owner and every class deriving from one of the family
        grown = False
        for other in modules:
            for name, (bases, _attrs) in other.classes.items():
                if name not in family and family & set(bases):
                    family.add(name)
                    grown = True
    found, bound = [], False
    for other in modules:
        for name, (_bases, attrs) in other.classes.items():
            for value in attrs.get(key[len("self."):], []) if name in family else []:
                bound = True
                more = other.strings(value, [other.tree])
                if more is None:
                    return None
                found += more
    return found if bound else None


def _read(modules: list[_Module], module: _Module, argument: ast.AST, scopes: list, depth: int = 0):
    values = module.strings(argument, scopes)
    if values is None:
        values = _class_attribute(modules, argument, scopes)
    if values is None and depth < 3:
        parameter = _parameter(argument, scopes)
        if parameter is not None:
            values = _passed(modules, *parameter, depth)
    return values


def unknown_actions(*sources: tuple[str, str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(problems, (function, action) pairs checked) of the modules given as (source, filename); an action
    passed in as a parameter is read at the callers in any of them."""
    modules = [(_Module(ast.parse(source, filename)), filename) for source, filename in sources]
    problems, checked = [], []
    for module, filename in modules:
        for line, name, origin, argument, scopes in module.uses:
            table = table_for(origin, name)
            if table is None:
                continue
            candidates = _read([m for m, _f in modules], module, argument, scopes)
            candidates = [c for c in candidates or [] if c]  # "" means "no action allowed", never passed on
            if not candidates:
                problems.append(f"{filename}:{line}: {name}() gets an action that cannot be read: "
                                f"{ast.unparse(argument)}")
                continue
            for action in candidates:
                checked.append((name, action))
                if action not in table:
                    problems.append(f"{filename}:{line}: {name}({action!r}) is in no lifecycle table")
    return problems, checked


def test_every_command_action_is_in_a_table():
    problems, checked = unknown_actions(*((path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
                                          for path in sorted(COMMANDS.rglob("*.py"))))
    assert not problems, "\n".join(problems)
    # the walk reaches the applicant's commands (so an empty walk cannot pass)
    assert {("apply", "submit"), ("apply", "resubmit"), ("apply", "cancel")} <= set(checked)
    assert {("section_transition", "fill"), ("section_transition", "clear")} <= set(checked)


@pytest.mark.parametrize("source", [
    "from app.workflow import lifecycle\nclass B:\n    action = ''\n    def run(self):\n"
    "        lifecycle.apply(a, self.action, u, role='Unit')\nclass P(B):\n    action = 'pas'\n",
    "from app.workflow import lifecycle\nlifecycle.apply(a, 'submt', u, role='Individual')\n",
    "from app.workflow.states import transition\ntransition('pas', s, 'Unit')\n",
    "from app.workflow.states import allowed_actions\nok = 'cancle' in allowed_actions(s, 'Individual')\n",
    "from app.workflow.states import section_transition\nsection_transition('submit', s, 'Individual')\n",
    "from app.workflow import lifecycle\nclass C:\n    def v(self):\n        self.action = 'retrun'\n"
    "    def run(self):\n        lifecycle.apply(a, self.action, u, role='Unit')\n",
    "from app.workflow import lifecycle\nlifecycle.apply(a, actions[0], u, role='Unit')\n",
])
def test_an_action_outside_the_tables_is_found(source):
    problems, _checked = unknown_actions((source, "<module>"))
    assert len(problems) == 1


def test_actions_of_the_tables_pass():
    source = ("from app.workflow import lifecycle\nfrom app.workflow.states import allowed_actions\n"
              "ACTIONS = ('submit', 'resubmit')\n"
              "act = next((a for a in ACTIONS if a in allowed_actions(s, 'Individual')), '')\n"
              "lifecycle.apply(x, act, u, role='Individual')\nlifecycle.apply(x, action='cancel', actor=u)\n")
    problems, checked = unknown_actions((source, "<module>"))
    assert problems == []
    assert ("apply", "cancel") in checked and ("allowed_actions", "resubmit") in checked


HELPER = ("from app.workflow import lifecycle\n"
          "def move(application, action, user):\n    lifecycle.apply(application, action, user, role='Unit')\n")


@pytest.mark.parametrize("caller,problems", [
    ("from app.commands.review.common import move\nmove(a, 'pass', u)\nmove(a, action='return', user=u)\n", 0),
    ("from app.commands.review.common import move\nmove(a, 'pass', u)\nmove(a, 'pas', u)\n", 1),
    ("x = 1\n", 1),  # nobody calls the helper: its action cannot be read
])
def test_an_action_passed_through_a_helper_is_read_at_its_callers(caller, problems):
    found, checked = unknown_actions((HELPER, "common.py"), (caller, "pass_.py"))
    assert len(found) == problems, found
    if problems == 0:
        assert {("apply", "pass"), ("apply", "return")} <= set(checked)


def test_a_class_attribute_set_by_a_subclass_is_read():
    base = ("from app.workflow import lifecycle\nclass Decision:\n    action = ''\n    def run(self):\n"
            "        lifecycle.apply(a, self.action, u, role='Unit')\n")
    found, checked = unknown_actions((base, "common.py"), ("class Pass(Decision):\n    action = 'pass'\n", "pass_.py"))
    assert found == [] and ("apply", "pass") in checked


def test_a_method_parameter_is_read_at_its_callers():
    source = ("from app.workflow import lifecycle\nclass C:\n    def _move(self, action):\n"
              "        lifecycle.apply(a, action, u, role='Unit')\n    def run(self):\n"
              "        self._move('report')\n        self._move('reprot')\n")
    found, checked = unknown_actions((source, "<module>"))
    assert ("apply", "report") in checked and len(found) == 1 and "reprot" in found[0]

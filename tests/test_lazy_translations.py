"""Text translated while a module is imported is frozen in the language of whichever request
first imported it (English help texts on Spanish pages). Module- and class-level code must use
the lazy functions (gettext_lazy and friends); the eager ones belong inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("jcr", "outreach", "prosecution", "govrelations", "integrity")
EAGER = {"gettext", "ngettext", "pgettext", "npgettext", "ugettext", "ungettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}
TRANSLATION_MODULE = "django.utils.translation"


class _ImportTimeCalls(ast.NodeVisitor):
    """Calls to eager translation functions evaluated when the module is imported: anywhere but
    inside a function body (decorators, defaults and class bodies do run at import), and lazy
    text formatted at import (`_("%(n)d") % {...}`, `+`, `.format()`, `str()`, f-strings), which
    translates it there and then."""

    def __init__(self) -> None:
        self.eager_names: set[str] = set()
        self.lazy_names: set[str] = set()
        self.module_aliases: set[str] = set()
        self.found: list[int] = []

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == TRANSLATION_MODULE:
            self.eager_names |= {a.asname or a.name for a in node.names if a.name in EAGER}
            self.lazy_names |= {a.asname or a.name for a in node.names if a.name in LAZY}
        elif node.module == "django.utils":
            self.module_aliases |= {a.asname or a.name for a in node.names if a.name == "translation"}

    def visit_Import(self, node: ast.Import) -> None:
        self.module_aliases |= {a.asname for a in node.names if a.name == TRANSLATION_MODULE and a.asname}

    def _visit_function(self, node) -> None:
        for item in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if item is not None:
                self.visit(item)

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for item in [*node.args.defaults, *node.args.kw_defaults]:
            if item is not None:
                self.visit(item)

    def _is_lazy(self, node) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.lazy_names

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Mod | ast.Add) and (self._is_lazy(node.left) or self._is_lazy(node.right)):
            self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        if self._is_lazy(node.value):
            self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "format" and self._is_lazy(func.value)) or (
            isinstance(func, ast.Name) and func.id == "str" and node.args and self._is_lazy(node.args[0])
        ):
            self.found.append(node.lineno)
        if (isinstance(func, ast.Name) and func.id in self.eager_names) or (
            isinstance(func, ast.Attribute)
            and func.attr in EAGER
            and isinstance(func.value, ast.Name)
            and func.value.id in self.module_aliases
        ):
            self.found.append(node.lineno)
        self.generic_visit(node)


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_translates_text_when_imported():
    offenders = []
    for path in _modules():
        visitor = _ImportTimeCalls()
        tree = ast.parse(path.read_text(), str(path))
        # Imports first (they may sit below a use), then the calls.
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                visitor.visit(node)
        for node in tree.body:
            if not isinstance(node, ast.Import | ast.ImportFrom):
                visitor.visit(node)
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in visitor.found]
    assert not offenders, "eager gettext at import time (use gettext_lazy):\n" + "\n".join(offenders)

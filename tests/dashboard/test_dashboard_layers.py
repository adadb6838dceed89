"""The dashboard's layers (dashboard/README.md): imports go down only, model → charts → exports → ui → views.

Read from the source (ast), so that a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"

# What each pure layer may not import: Streamlit, and every dashboard layer above it.
FORBIDDEN = {
    "model": ("streamlit", "plotly", "dashboard.charts", "dashboard.exports", "dashboard.ui", "dashboard.views", "dashboard.app"),
    "charts": ("streamlit", "dashboard.exports", "dashboard.ui", "dashboard.views", "dashboard.app"),
    "exports": ("streamlit", "dashboard.ui", "dashboard.views", "dashboard.app"),
}
# Entry points beside the layers, named by commands (python -m dashboard.serve|export|auth, streamlit run dashboard/app.py).
ENTRYPOINTS = {"__init__.py", "app.py", "serve.py", "export.py", "auth.py"}


def imported_modules(path: Path, root: Path = DASHBOARD) -> set[str]:
    """Every module the file imports, relative imports resolved against its package."""
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def breaks(imported: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in imported for prefix in forbidden if name == prefix or name.startswith(prefix + "."))


LAYER_FILES = [(layer, path) for layer in FORBIDDEN for path in sorted((DASHBOARD / layer).glob("*.py"))]


@pytest.mark.parametrize(("layer", "path"), LAYER_FILES, ids=[f"{layer}/{path.name}" for layer, path in LAYER_FILES])
def test_pure_layers_import_only_downwards(layer, path):
    assert breaks(imported_modules(path), FORBIDDEN[layer]) == []


MAX_LINES = 420
MODULES = sorted(DASHBOARD.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(path.relative_to(DASHBOARD)) for path in MODULES])
def test_every_module_stays_small(path):
    """One concept a module: past this size a module is doing two things and is split."""
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_every_module_is_in_a_layer_or_an_entrypoint():
    """A new module at the top of dashboard/ would belong to no layer; the layers' test would not see it."""
    assert {path.name for path in DASHBOARD.glob("*.py")} == ENTRYPOINTS
    assert {path.name for path in DASHBOARD.iterdir() if path.is_dir() and not path.name.startswith("__")} == {
        "model", "charts", "exports", "ui", "views", "static",  # static: files Streamlit serves (whats-new.xml), no code
    }


@pytest.mark.parametrize(
    ("source", "where", "expected"),
    [
        pytest.param("import streamlit as st", "model/x.py", ["streamlit"], id="streamlit"),
        pytest.param("from dashboard.ui import ui", "exports/x.py", ["dashboard.ui", "dashboard.ui.ui"], id="ui-absolute"),
        pytest.param("from ..charts import charts", "model/x.py", ["dashboard.charts", "dashboard.charts.charts"], id="relative-up"),
        pytest.param("def f():\n    from dashboard.exports.record_files import x", "model/x.py",
                     ["dashboard.exports.record_files", "dashboard.exports.record_files.x"], id="lazy"),
        pytest.param("from dashboard.model.data import x", "model/x.py", [], id="same-layer"),
        pytest.param("from .data import row_dicts", "model/x.py", [], id="relative-same"),
        pytest.param("import streamlit_extras", "model/x.py", [], id="prefix-is-not-a-package"),
    ],
)
def test_the_check_finds_upward_imports(tmp_path, source, where, expected):
    root = tmp_path / "dashboard"
    path = root / where
    path.parent.mkdir(parents=True)
    path.write_text(source)
    assert breaks(imported_modules(path, root), FORBIDDEN["model"]) == expected

"""Import layering: `core` depends on no other app of ours, and `agencies`
sits below `catalogue` (the catalogue names agencies, never the reverse).
Checked on the source with ast, so a function-level import counts too."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").is_file())


def _imports(app: str) -> dict[str, set[str]]:
    """{module path: tinhso apps it imports} for the app's non-test modules."""
    out = {}
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.relative_to(ROOT / app).parts:
            continue
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for name in names:
                parts = name.split(".")
                if parts[0] == "tinhso" and len(parts) > 1 and parts[1] in APPS:
                    found.add(parts[1])
        out[str(path.relative_to(ROOT))] = found
    return out


def test_the_apps_are_found():
    assert {"core", "agencies", "catalogue", "dossiers", "demo"} <= set(APPS)


def test_core_depends_on_no_other_app():
    offenders = {module: apps - {"core"} for module, apps in _imports("core").items() if apps - {"core"}}
    assert offenders == {}


@pytest.mark.parametrize("lower, upper", [("agencies", "catalogue"), ("units", "agencies"), ("audit", "accounts"),
                                          ("policies", "catalogue"), ("policies", "dossiers")])
def test_a_lower_app_does_not_import_a_higher_one(lower, upper):
    offenders = [module for module, apps in _imports(lower).items() if upper in apps]
    assert offenders == []

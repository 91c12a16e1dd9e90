"""The apps form layers: a module imports only from its own app and the apps below it
(docs/decisions/0004-layers.md). Pages (views, URLs, the staff site) and management commands
sit on top of their app and may call services of apps above it; nothing else may import
upwards, so no two apps import each other."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. An app may import the apps before it.
LAYERS = [
    "core",
    "audit",
    "accounts",
    "notifications",
    "jobs",
    "workdays",
    "paperwork",
    "policy",
    "organisation",
    "people",
    "contracts",
    "recruitment",
    "training",
    "agreements",
    "assessment",
    "inspections",
    "appraisal",
    "earlywarnings",
    "disclosure",
    "archive",
    "workflows",
    "api",
    "web",
    "demo",
]
# The shell of each app: its pages (the admin too) and commands, which may use any app's
# services.
SHELL_PARTS = ("views", "urls", "admin", "management", "templatetags")


def project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import of a project app in ``path``, including
    imports inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                found.append((node.lineno, top))
    return found


def is_shell(path: Path) -> bool:
    stem = path.stem
    return any(stem == p or stem.startswith(f"{p}_") for p in SHELL_PARTS) or any(
        part in SHELL_PARTS for part in path.parts
    )


def modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_imports_an_app_above_its_own(app):
    rank = LAYERS.index(app)
    wrong = []
    for owner, path in modules():
        if owner != app or is_shell(path):
            continue
        for line, imported in project_imports(path):
            if LAYERS.index(imported) > rank:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_core_imports_no_app():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for owner, path in modules()
        if owner == "core"
        for line, imported in project_imports(path)
        if imported != "core"
    ]
    assert not wrong, "\n".join(wrong)

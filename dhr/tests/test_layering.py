"""The apps depend one way: dhr <- reviews <- recommendations <- qa_feedback. A module of a lower
app never imports a higher one, at the top of the file or inside a function; the higher apps
add to the lower ones through `reviews.extensions` and the URLconf's `include()` by name.

Tests are left out: a test of the whole service (the URL-by-role matrix, the accessibility
gate) may build records of every app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("dhr", "reviews", "recommendations", "qa_feedback")


def imported_apps(source: str) -> set[str]:
    """The project apps a module's source imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in LAYERS)
    return found


def upward_imports(app: str, source: str) -> set[str]:
    """The apps above `app` that the source imports."""
    rank = LAYERS.index(app)
    return {other for other in imported_apps(source) if LAYERS.index(other) > rank}


def modules_of(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts:
            continue
        yield path


def test_no_module_imports_an_app_above_its_own():
    wrong = {
        str(path.relative_to(ROOT)): sorted(found)
        for app in LAYERS
        for path in modules_of(app)
        if (found := upward_imports(app, path.read_text(encoding="utf-8")))
    }
    assert wrong == {}


def test_every_app_has_modules_to_walk():
    assert all(len(list(modules_of(app))) > 10 for app in LAYERS)


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("dhr", "from reviews import selectors\n", {"reviews"}),
        ("dhr", "def f():\n    from qa_feedback.models import QALetter\n", {"qa_feedback"}),
        ("reviews", "import recommendations.models\n", {"recommendations"}),
        ("reviews", "from dhr.models import Role\nimport reviews.models\n", set()),
        ("qa_feedback", "from reviews import workflow\nfrom dhr import pages\n", set()),
        ("dhr", "from . import models\nimport reviewsx\n", set()),
    ],
)
def test_the_walk_finds_an_upward_import_wherever_it_is(app, source, expected):
    assert upward_imports(app, source) == expected

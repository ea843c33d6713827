"""No test takes today's date when the tests are collected: a run that crosses midnight reaches
the test the next day, and 'tomorrow' has become today (a QA letter dated 'tomorrow' was
accepted at 00:11 and two tests failed). A test works out the date when it runs."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("dhr", "reviews", "recommendations", "qa_feedback")
CLOCK = {"localdate", "localtime", "now", "today"}


def dates_taken_when_collected(source: str) -> list[str]:
    """The calls to the clock outside any function body: at module or class level, in a
    decorator (a parametrize list) or an argument's default."""
    found = []

    def visit(node, in_body: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for outer in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if outer is not None:
                    visit(outer, in_body)
            for statement in node.body:
                visit(statement, True)
            return
        if isinstance(node, ast.Lambda):
            visit(node.body, True)
            return
        if isinstance(node, ast.Call) and not in_body:
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in CLOCK:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, in_body)

    visit(ast.parse(source), False)
    return found


def test_no_test_module_takes_the_date_when_collected():
    wrong = {
        str(path.relative_to(ROOT)): found
        for app in APPS
        for path in sorted((ROOT / app).rglob("test_*.py"))
        if (found := dates_taken_when_collected(path.read_text(encoding="utf-8")))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("X = timezone.localdate()", ["line 1: timezone.localdate()"]),
        (
            "@pytest.mark.parametrize('d', [date.today() + timedelta(days=1)])\ndef test(d): pass",
            ["line 1: date.today()"],
        ),
        ("def test(when=timezone.now()): pass", ["line 1: timezone.now()"]),
        ("class Dates:\n    NOW = datetime.now()", ["line 2: datetime.now()"]),
        # Near misses: the clock read when the test runs.
        ("def test():\n    today = timezone.localdate()", []),
        ("TOMORROW = lambda: timezone.localdate() + timedelta(days=1)", []),
        ("@pytest.fixture\ndef today():\n    return date.today()", []),
        ("NOW = 'now'", []),
    ],
)
def test_dates_taken_when_collected_are_found(source, expected):
    assert dates_taken_when_collected(source) == expected

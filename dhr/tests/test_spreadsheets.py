"""The shared spreadsheet reader on its own: any columns, the limits it is given, the check it
is handed, and the pieces (formulas, cells, header). The tracker import and the chronology test
it again through their own columns and messages."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhr import spreadsheets
from dhr.spreadsheets import SpreadsheetError, cell_text, column_name, looks_like_formula
from dhr.tests.workbooks import xlsx_of


def _missing(columns):
    return f"Missing: {', '.join(columns)}"


def _read(data, **options):
    return spreadsheets.read_table(
        "t.csv",
        data,
        **{
            "columns": ["name", "size"],
            "required": ["name"],
            "max_rows": 3,
            "max_bytes": 100_000,
            "missing_message": _missing,
        }
        | options,
    )


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=1+1", True),
        ("@SUM(A1)", True),
        ("+44 1234", True),
        ("-2+3", True),
        ("-(1)", True),
        ("- a list item", False),
        ("-based", False),
        ("+", False),
        ("", False),
        ("a=b", False),
    ],
)
def test_a_formula_is_told_from_text(text, formula):
    assert looks_like_formula(text) is formula


def test_cells_become_text():
    assert cell_text(None) == ""
    assert cell_text(datetime(2024, 2, 29, 10, 5)) == "2024-02-29"  # noqa: DTZ001 - a cell
    assert cell_text(date(2024, 2, 29)) == "2024-02-29"
    assert cell_text(3.0) == "3"
    assert cell_text(3.5) == "3.5"
    assert cell_text("  x ") == "x"
    assert column_name(" Review - Reference ") == "review_reference"


def test_any_columns_and_their_rows_are_read_with_row_numbers():
    header, table = _read(b"title\nSize,Name,other\n1,Anna,x\n,,\n2,Ben,y\n")
    assert header == ["size", "name", "other"]
    assert table == [(3, {"size": "1", "name": "Anna"}), (5, {"size": "2", "name": "Ben"})]


def test_an_xlsx_is_read_like_a_csv():
    _, table = _read(xlsx_of([["name", "size"], ["Anna", 1]]))
    assert table == [(2, {"name": "Anna", "size": "1"})]


def test_the_limits_are_the_callers():
    with pytest.raises(SpreadsheetError, match="more than 3 rows"):
        _read(b"name\na\nb\nc\nd\n")
    assert len(_read(b"name\na\nb\nc\n")[1]) == 3
    with pytest.raises(SpreadsheetError, match="must be smaller than"):
        _read(b"name\na\n", max_bytes=6)
    assert _read(b"name\na\n", max_bytes=7)[1] == [(2, {"name": "a"})]
    with pytest.raises(SpreadsheetError, match="Missing: name"):
        _read(b"size\n1\n")
    _, table = _read(b"name,size\na,1,extra\n")
    assert table[0][1][spreadsheets.EXTRA] == "3"


def test_the_check_is_run_on_a_workbook_and_its_message_kept():
    seen = []

    def check(stream):
        seen.append(stream.read(2))
        raise SpreadsheetError("No macros, please")

    with pytest.raises(SpreadsheetError, match="No macros, please"):
        _read(xlsx_of([["name"], ["a"]]), check=check)
    assert seen == [b"PK"]

    def broken(stream):
        raise ValueError

    with pytest.raises(SpreadsheetError, match="could not be read as an Excel workbook"):
        _read(xlsx_of([["name"], ["a"]]), check=broken)


@given(st.binary(max_size=500))
def test_any_bytes_give_a_table_or_a_message(data):
    try:
        _, table = _read(data)
    except SpreadsheetError as error:
        message, table = str(error), []
    else:
        message = ""
    assert message.startswith(("The selected file", "Missing")) or table
    assert all(number >= 2 and "name" in record for number, record in table)

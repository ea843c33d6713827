"""Stored values as a person would write them (`dhr.words.in_words`): each kind of value, nothing,
and times around midday, midnight and the clock changes."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.files.base import ContentFile

from dhr.models import Agency
from dhr.words import in_words
from qa_feedback.models import ChecklistItem, QALetter
from reviews.models import Document, Review, SituationOfConcern


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (date(2026, 12, 7), "7 December 2026"),
        (date(2027, 1, 31), "31 January 2027"),
        # GMT in winter: UTC is UK time.
        (datetime(2026, 12, 7, 3, 40, 2, 709630, tzinfo=UTC), "7 December 2026 at 3:40am"),
        (datetime(2026, 12, 7, 15, 5, tzinfo=UTC), "7 December 2026 at 3:05pm"),
        (datetime(2026, 12, 7, 10, 0, 59, tzinfo=UTC), "7 December 2026 at 10am"),
        (datetime(2026, 12, 7, 12, 0, tzinfo=UTC), "7 December 2026 at midday"),
        (datetime(2026, 12, 7, 0, 0, tzinfo=UTC), "7 December 2026 at midnight"),
        (datetime(2026, 12, 7, 0, 1, tzinfo=UTC), "7 December 2026 at 12:01am"),
        (datetime(2026, 12, 7, 12, 30, tzinfo=UTC), "7 December 2026 at 12:30pm"),
        # BST in summer: an hour ahead of UTC, so the day can change too.
        (datetime(2026, 6, 1, 11, 0, tzinfo=UTC), "1 June 2026 at midday"),
        (datetime(2026, 6, 1, 23, 0, tzinfo=UTC), "2 June 2026 at midnight"),
        (datetime(2026, 6, 1, 23, 40, tzinfo=UTC), "2 June 2026 at 12:40am"),
        (datetime(2026, 6, 1, 14, 15, tzinfo=UTC), "1 June 2026 at 3:15pm"),
        # Either side of the clocks going forward (29 March 2026, 1am UTC).
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026 at 12:59am"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026 at 2am"),
        (time(0, 0), "midnight"),
        (time(12, 0), "midday"),
        (time(9, 5), "9:05am"),
        (True, "Yes"),
        (False, "No"),
        (None, "not set"),
        ("", "not set"),
        ([], "not set"),
        ({}, "not set"),
        (0, "0"),
        (42, "42"),
        ("Text as typed", "Text as typed"),
        (["5.1.17", "15.4"], "5.1.17, 15.4"),
        ([8, 11], "8, 11"),
    ],
)
def test_each_kind_of_value_in_words(value, written):
    assert in_words(value) == written


def test_a_choice_is_its_label():
    field = Review._meta.get_field("status")
    assert in_words("drafting", field=field) == "Drafting"
    assert in_words("", field=field) == "not set"
    # A value no longer among the choices is shown as stored rather than lost.
    assert in_words("retired", field=field) == "retired"


def test_a_list_of_choices_is_their_labels():
    field = Review._meta.get_field("situations_of_concern")
    chosen = [SituationOfConcern.values[0], SituationOfConcern.values[1]]
    labels = f"{SituationOfConcern.labels[0]}, {SituationOfConcern.labels[1]}"
    assert in_words(chosen, field=field, choices=Review.ITEM_CHOICES[field.name]) == labels
    letter_field = QALetter._meta.get_field("requirements")
    assert (
        in_words(["one_pdf"], field=letter_field, choices=QALetter.ITEM_CHOICES["requirements"])
        == ChecklistItem.ONE_PDF.label
    )


def test_a_file_is_its_name():
    field = Document._meta.get_field("file")
    # A history keeps the stored path; the page shows the file's name.
    assert in_words("documents/12/3f2a9c.pdf", field=field) == "3f2a9c.pdf"
    assert in_words("", field=field) == "not set"
    assert in_words(ContentFile(b"x", name="letters/chief-executive.pdf")) == "chief-executive.pdf"


def test_a_record_is_its_name():
    assert in_words(Agency(name="Northvale Police")) == "Northvale Police"
    assert in_words(Document(original_name="IMR police.docx")) == "IMR police.docx"

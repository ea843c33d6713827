"""The publishable PDF built from fixture data and read back: every part in order, bookmarks,
page numbers, the annexes' content, the tagged structure, the draft marking, the anonymity
check on names and dates planted in every format, the size limit and a PDF-only report."""

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from qa_feedback import anonymity, bundle, checklist, services
from qa_feedback.models import AnonymityAcceptance, ChecklistItem, PublicationBundle
from qa_feedback.tests.factories import OVERVIEW, ready_to_publish, word_report
from reviews.tests.factories import UserFactory

PARTS = [
    "Domestic Homicide Review:",
    "Contents",
    "Executive summary",
    "Overview report",
    "Annex A: action plan",
    "Annex B: Home Office Quality Assurance Panel letter",
]


def _build(review, *, final, by=None):
    requested = PublicationBundle.objects.create(
        review=review,
        number=review.bundles.count() + 1,
        final=final,
        requested_by=by or UserFactory(),
    )
    return services.bundle_build(bundle_id=requested.pk)


def _pdf(built):
    with built.file.open("rb") as stored:
        return stored.read()


def _texts(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def review(people):
    return ready_to_publish(people.home)


def test_a_draft_has_every_part_in_order_with_bookmarks_and_page_numbers(review):
    built = _build(review, final=False)
    assert built.state == PublicationBundle.State.DONE, built.message
    data = _pdf(built)
    texts = _texts(data)
    assert built.pages == len(texts)
    assert built.size == len(data)
    assert texts[0].startswith(PARTS[0]) or PARTS[0] in texts[0]
    assert "Contents" in texts[1]
    whole = re.sub(r"\s+", " ", " ".join(texts[2:]))  # after the cover and the contents
    positions = [whole.index(part) for part in PARTS[2:]]
    assert positions == sorted(positions)
    # The contents page gives each part's page number.
    contents = texts[1]
    assert re.search(r"Annex A: action plan\W+\d+", contents)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert "DRAFT - OFFICIAL-SENSITIVE" in text
    outline = [item.title for item in _flat(PdfReader(io.BytesIO(data)).outline)]
    for title in [
        "Contents",
        "Executive summary",
        "Key findings",
        "Overview report",
        "Terms of reference",
        "Analysis",
        "Annex A: action plan",
        "Recommendation 1",
        "Annex B: Home Office Quality Assurance Panel letter",
    ]:
        assert title in outline
    annex_a = whole[whole.index(PARTS[4]) : whole.index(PARTS[5])]
    assert "This action plan is a live document" in annex_a
    assert "Write the GP referral protocol." in annex_a
    annex_b = whole[whole.index(PARTS[5]) :]
    assert "Areas for final development" in annex_b
    assert "future readers" in annex_b


def _flat(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_the_pdf_is_tagged_in_british_english_with_its_title_and_author(review):
    data = _pdf(_build(review, final=False))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-GB"
        assert bool(root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in root
        tree = root.StructTreeRoot
        assert len(tree.K) > 0
        with pdf.open_metadata() as meta:
            assert review.public_title in meta["dc:title"]
        assert str(pdf.docinfo["/Author"]) == review.partnership.name


def test_a_final_bundle_has_no_draft_marking_and_checks_the_one_pdf_step(review):
    built = _build(review, final=True, by=review.partnership.memberships.first().user)
    assert built.state == PublicationBundle.State.DONE, built.message
    assert "DRAFT" not in "\n".join(_texts(_pdf(built)))
    # Checked by the service from the bundle, not ticked by anyone.
    assert not review.publication_steps.exists()
    row = checklist.row_of(review, ChecklistItem.ONE_PDF)
    assert row.done
    assert row.checked
    assert "built by the service" in row.detail


PLANTED = [
    ("Harriet Quellington was seen by her GP.", "The victim's real name"),
    ("Ms Quellington was seen by her GP.", "The victim's real name (in part)"),
    ("Desmond Varga was arrested.", "The perpetrator's real name"),
    ("She died on 3 March 2024.", "The date of death"),
    ("She died on 3rd March 2024.", "The date of death"),
    ("She died on 03/03/2024.", "The date of death"),
    ("She died on 2024-03-03.", "The date of death"),
    ("She died on March 3, 2024.", "The date of death"),
    ("She died on 3 Mar 2024.", "The date of death"),
    ("She was born on 12/11/1981.", "The victim's date of birth"),
]


@pytest.mark.parametrize(("sentence", "what"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_name_or_date_blocks_the_final_pdf_and_says_where(people, sentence, what):
    review = ready_to_publish(people.home, overview=[*OVERVIEW, ("h1", "Planted"), ("p", sentence)])
    built = _build(review, final=True)
    assert built.state == PublicationBundle.State.FAILED
    assert "anonymity check found 1 confidential value" in built.message
    assert not built.file
    [finding] = built.findings.all()
    assert finding.what == what
    assert finding.part == "Overview report"
    assert finding.page >= 4
    assert f"[{finding.found}]" in finding.context


def test_clean_text_passes_and_a_chairs_acceptance_lets_a_finding_stay(people):
    review = ready_to_publish(
        people.home, overview=[*OVERVIEW, ("p", "Dr Varga, the consultant, gave evidence.")]
    )
    built = _build(review, final=True)
    assert built.state == PublicationBundle.State.FAILED
    [finding] = built.findings.all()
    assert finding.value == "Varga"
    services.finding_accept(finding=finding, by=people.chair, reason="A different person")
    assert AnonymityAcceptance.objects.get().reason == "A different person"
    again = _build(review, final=True)
    assert again.state == PublicationBundle.State.DONE, again.message
    assert again.findings.count() == 1  # still listed, as accepted


def test_a_coordinators_term_is_looked_for(people):
    from qa_feedback.models import ConfidentialTerm

    review = ready_to_publish(
        people.home, overview=[*OVERVIEW, ("p", "She lived at 14 Larch Crescent, Northvale.")]
    )
    ConfidentialTerm.objects.create(
        review=review, kind="address", value="14 Larch Crescent", added_by=people.coordinator
    )
    built = _build(review, final=True)
    [finding] = built.findings.all()
    assert (finding.what, finding.found) == ("An address", "14 Larch Crescent")


@pytest.mark.parametrize(
    "text",
    [
        "3 March 2023", "3 March 2025", "13 March 2024", "03/03/2023", "2024-03-30",
        "Rose died in March 2024.", "Harriet Street", "Quellingtons",
    ],
)  # fmt: skip
def test_near_misses_are_not_findings(people, text):
    review = ready_to_publish(people.home)
    sought = anonymity.sought_for(review)
    found = anonymity.find([text], ["Overview report"], sought)
    assert [f for f in found if f.what != "The victim's real name (in part)"] == []


def test_an_over_large_pdf_is_refused_naming_what_is_large(review, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_BYTES", 1000)
    built = _build(review, final=True)
    assert built.state == PublicationBundle.State.FAILED
    assert "must be smaller than 20 MB" in built.message
    assert "the overview report (overview.docx, version 2)" in built.message


def test_a_pdf_only_report_is_appended_with_a_warning(people):
    review = ready_to_publish(people.home)
    review.report_versions.filter(kind="overview", version=2).delete()  # back to the PDF
    built = _build(review, final=False)
    assert built.state == PublicationBundle.State.DONE, built.message
    assert "supplied only as a PDF" in built.warnings[0]
    texts = _texts(_pdf(built))
    where = next(i for i, t in enumerate(texts) if "follows as it was supplied" in t)
    assert "Overview report" in texts[where]
    assert "Annex A" in "\n".join(texts[where + 2 :])


def test_an_odt_report_or_a_missing_letter_says_what_to_do(people):
    review = ready_to_publish(people.home)
    review.qa_letters.all().delete()
    built = _build(review, final=False)
    assert built.state == PublicationBundle.State.FAILED
    assert built.message == "Record the Home Office QA letter first: it is Annex B."


def test_a_finished_build_is_not_built_again_and_a_stranded_one_is(review):
    built = _build(review, final=False)
    finished_at = built.finished_at
    assert services.bundle_build(bundle_id=built.pk).finished_at == finished_at
    # A worker died mid-build: the job was left running; delivered again, it is built.
    PublicationBundle.objects.filter(pk=built.pk).update(state="running", progress=30)
    rebuilt = services.bundle_build(bundle_id=built.pk)
    assert rebuilt.state == PublicationBundle.State.DONE
    assert rebuilt.finished_at > finished_at


def test_written_text_takes_the_place_of_the_upload(people):
    review = ready_to_publish(people.home)
    review.status = "revising"
    review.save()
    services.report_text_save(
        review=review,
        by=people.coordinator,
        kind="executive_summary",
        text="# Written here\n\nA summary typed into the app.\n\n- one\n- two",
    )
    review.status = "approved"
    review.save()
    whole = "\n".join(_texts(_pdf(_build(review, final=False))))
    assert "A summary typed into the app." in whole
    assert "Key findings" not in whole


def test_word_report_helper_is_a_real_docx(review):
    assert word_report(review, "overview", OVERVIEW, version=3).document.content_type.endswith(
        "wordprocessingml.document"
    )


def test_the_anonymity_check_reads_the_same_text_as_the_pdf_holds(review):
    """The check reads the laid-out pages; a reader of the PDF sees the same words on each."""
    rendered = bundle.bundle_render(review, final=False)
    from_pdf = _texts(rendered.pdf)
    assert len(rendered.page_texts) == len(from_pdf) == rendered.pages
    words = re.compile(r"[^\W_]+")  # leader dots aside
    for laid_out, read in zip(rendered.page_texts, from_pdf, strict=True):
        assert words.findall(laid_out) == words.findall(read)

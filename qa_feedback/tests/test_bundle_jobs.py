"""The bundle as a tracked job on the real queue: requested by the page, built by a real Celery
worker (queued, running with progress, done with the file; or failed with the message), and the
forms around it with bad input."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from dhr.tests.queue import empty_queue, real_worker, wait_for
from qa_feedback.models import (
    AnonymityAcceptance,
    AnonymityFinding,
    ConfidentialTerm,
    PublicationBundle,
    ReportText,
)
from qa_feedback.tests.factories import OVERVIEW, ready_to_publish


@pytest.fixture
def clean_queue():
    empty_queue()


def _state(bundle):
    bundle.refresh_from_db()
    return bundle.state


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_bundle_asked_for_on_the_page_is_built_by_a_real_worker(client, people, clean_queue):
    review = ready_to_publish(people.home)
    client.force_login(people.coordinator)
    response = client.post(reverse("qa_feedback:bundle_request", args=[review.pk]), {"final": "1"})
    assert response.status_code == 302
    bundle = PublicationBundle.objects.get()
    assert bundle.state == PublicationBundle.State.QUEUED
    status_url = reverse("qa_feedback:bundle_status", args=[review.pk, bundle.pk])
    assert client.get(status_url).json() == {
        "state": "queued", "label": "Waiting to start", "progress": 0,
        "step": "Waiting to start", "finished": False,
    }  # fmt: skip
    seen = set()
    with real_worker():
        assert wait_for(lambda: seen.add(_state(bundle)) or bundle.is_finished)
    assert bundle.state == PublicationBundle.State.DONE, bundle.message
    assert "done" in seen
    status = client.get(status_url).json()
    assert (status["state"], status["progress"], status["finished"]) == ("done", 100, True)
    download = client.get(reverse("qa_feedback:bundle_download", args=[review.pk, bundle.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_blocked_final_bundle_fails_on_the_worker_with_the_reason(client, people, clean_queue):
    review = ready_to_publish(
        people.home, overview=[*OVERVIEW, ("p", "Harriet Quellington was seen by her GP.")]
    )
    client.force_login(people.coordinator)
    client.post(reverse("qa_feedback:bundle_request", args=[review.pk]), {"final": "1"})
    bundle = PublicationBundle.objects.get()
    with real_worker():
        assert wait_for(lambda: _state(bundle) in ("done", "failed"))
    assert bundle.state == PublicationBundle.State.FAILED
    page = client.get(reverse("qa_feedback:bundles", args=[review.pk])).content.decode()
    assert "anonymity check found 1 confidential value" in page
    assert "Page 4, Overview report" in page or "Overview report" in page


def test_with_the_queue_down_the_request_fails_at_once_and_says_why(
    client, people, monkeypatch, django_capture_on_commit_callbacks
):
    from qa_feedback import services

    review = ready_to_publish(people.home)
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: False)
    client.force_login(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("qa_feedback:bundle_request", args=[review.pk]), {"final": "0"})
    bundle = PublicationBundle.objects.get()
    assert bundle.state == PublicationBundle.State.FAILED
    assert "job queue is not answering" in bundle.message


def test_only_an_approved_report_gets_a_final_pdf(client, people):
    from reviews.tests.factories import ReviewRevisingFactory

    review = ReviewRevisingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    page = client.get(reverse("qa_feedback:bundles", args=[review.pk])).content.decode()
    assert "Build a draft" in page
    assert "Build the final PDF" not in page
    response = client.post(reverse("qa_feedback:bundle_request", args=[review.pk]), {"final": "1"})
    assert response.status_code == 403
    assert not PublicationBundle.objects.exists()


# --- bad input on the forms around the bundle


def _summary(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    return html


def test_accepting_a_finding_needs_a_reason(client, people):
    review = ready_to_publish(people.home)
    bundle = PublicationBundle.objects.create(
        review=review, number=1, final=True, state="failed", requested_by=people.coordinator
    )
    finding = AnonymityFinding.objects.create(
        bundle=bundle, what="The victim's real name", value="Harriet Quellington",
        found="Harriet Quellington", page=4, part="Overview report", context="[...]",
    )  # fmt: skip
    client.force_login(people.chair)
    url = reverse("qa_feedback:finding_accept", args=[review.pk, finding.pk])
    html = _summary(client.post(url, {"reason": "   "}))
    assert "Enter why this may stay in the published report" in html
    html = _summary(client.post(url, {"reason": "x" * 2001}))
    assert "must be 2000 characters or fewer" in html
    assert not AnonymityAcceptance.objects.exists()
    assert client.post(url, {"reason": "A professional"}).status_code == 302
    assert AnonymityAcceptance.objects.get().accepted_by == people.chair


def test_adding_a_term_with_bad_input_is_explained_and_kept(client, people):
    review = ready_to_publish(people.home)
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:term_add", args=[review.pk])
    html = _summary(client.post(url, {"value": "Kept value"}))
    assert "Select what it is" in html
    assert 'value="Kept value"' in html
    html = _summary(client.post(url, {"kind": "name", "value": "ab"}))
    assert "What to look for must be 3 characters or more" in html
    html = _summary(client.post(url, {"kind": "name", "value": "x" * 301}))
    assert escape("What to look for must be 300 characters or fewer") in html
    assert not ConfidentialTerm.objects.exists()
    client.post(url, {"kind": "address", "value": " 14 Larch Crescent "})
    assert ConfidentialTerm.objects.get().value == "14 Larch Crescent"


def test_writing_the_report_in_the_app_and_emptying_it_again(client, people):
    from reviews.tests.factories import ReviewRevisingFactory

    review = ReviewRevisingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("qa_feedback:report_text", args=[review.pk, "overview"])
    client.post(url, {"text": "# Introduction\n\nWritten here."})
    assert ReportText.objects.get().text.startswith("# Introduction")
    client.post(url, {"text": ""})
    assert not ReportText.objects.exists()
    assert (
        client.get(reverse("qa_feedback:report_text", args=[review.pk, "nope"])).status_code == 404
    )


def test_the_qa_tab_shows_the_latest_pdf_to_leads_only(client, people):
    review = ready_to_publish(people.home)
    review.viewers.add(people.viewer)
    PublicationBundle.objects.create(
        review=review, number=1, final=True, state="running", progress=40,
        requested_by=people.coordinator,
    )  # fmt: skip
    client.force_login(people.chair)
    page = client.get(reverse("qa_feedback:review", args=[review.pk])).content.decode()
    assert "Final PDF, version 1: being built (40% done)" in page
    client.force_login(people.viewer)
    page = client.get(reverse("qa_feedback:review", args=[review.pk])).content.decode()
    assert "Final PDF, version 1" not in page

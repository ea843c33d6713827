"""A review's whole record as a zip for an information request, and anonymising reviews past
their partnership's retention period (`manage.py retention`)."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_celery_beat.models import PeriodicTask

from dhr.celery import app
from dhr.models import AuditEvent, FileJob, ScheduledRun
from qa_feedback.models import ConfidentialTerm
from recommendations.models import Action
from recommendations.tests.factories import ActionUpdateFactory, EvidenceFactory, plan_for
from reviews import records
from reviews.models import FamilyContact, Review, Status
from reviews.schedule import DAILY_RETENTION
from reviews.tasks import make_record_zip, retention
from reviews.tests.factories import (
    ReviewConcludedFactory,
    ReviewNotProceedingFactory,
    ReviewReadyToSignOffFactory,
)


def _zip(client, review) -> zipfile.ZipFile:
    """Ask for the whole record as the page does, make it as the worker would, download it."""
    response = client.post(reverse("reviews:export", args=[review.pk]))
    job = FileJob.objects.get(object_type="review_record", object_id=str(review.pk))
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert make_record_zip(job.pk) == FileJob.State.DONE
    response = client.get(reverse("file_job_download", args=[job.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_whole_record_for_an_information_request(client, people):
    review = ReviewReadyToSignOffFactory(partnership=people.home, victim_name="Ann Example")
    review.victim_pseudonym = "Kay"
    review.save()
    plan = plan_for(people, Status.MONITORING)
    EvidenceFactory(update=ActionUpdateFactory(action=plan.action, author=people.agency_contact))
    client.force_login(people.chair)
    archive = _zip(client, review)
    names = archive.namelist()
    assert "README.txt" in names
    assert archive.read("README.txt").decode().startswith("OFFICIAL-SENSITIVE")
    record = json.loads(archive.read("review.json"))
    assert record[0]["fields"]["victim_name"] == "Ann Example"
    history = json.loads(archive.read("review-history.json"))
    assert [v["fields"]["victim_pseudonym"] for v in history][-2:] == ["Mary", "Kay"]
    assert sum(n.startswith("documents/") for n in names) == 2
    assert "action-plan.csv" in names
    assert "qa-letter.json" in names
    assert AuditEvent.objects.filter(object_type="review_record", review_id=review.pk).exists()

    # Another review's plan and evidence are not in it.
    other = _zip(client, plan.review)
    assert sum(n.startswith("evidence/") for n in other.namelist()) == 1
    assert not any(n.startswith("evidence/") for n in names)


def _ended_years_ago(factory, people, years, **fields):
    end = timezone.localdate() - timedelta(days=365 * years + 3)
    if factory is ReviewNotProceedingFactory:
        return factory(partnership=people.home, decided_on=end, **fields)
    return factory(partnership=people.home, concluded_on=end, **fields)


@pytest.fixture
def aged(people):
    """Reviews of a partnership keeping records 7 years: two past it, two not."""
    people.home.retention_years = 7
    people.home.save()
    old = _ended_years_ago(ReviewConcludedFactory, people, 8, reference="DHR-2015-01")
    FamilyContact.objects.create(
        review=old,
        contacted_on="2016-01-04",
        who="Ann's sister, Bea Example",
        method="phone",
        notes="Spoke about Ann's job",
    )
    ConfidentialTerm.objects.create(review=old, value="Bea Example", added_by=people.coordinator)
    not_held = _ended_years_ago(ReviewNotProceedingFactory, people, 9, reference="DHR-2014-02")
    recent = _ended_years_ago(ReviewConcludedFactory, people, 2, reference="DHR-2022-01")
    still_open = ReviewReadyToSignOffFactory(partnership=people.home, reference="DHR-2023-01")
    return old, not_held, recent, still_open


def _retention(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_what_is_due_and_changes_nothing(aged):
    old, not_held, recent, still_open = aged
    output = _retention("--dry-run")
    assert f"Would anonymise {not_held.public_title}" in output
    assert f"Would anonymise {old.public_title}" in output
    assert "kept 7 years" in output
    assert recent.reference not in output
    assert still_open.reference not in output
    assert "2 reviews." in output
    old.refresh_from_db()
    assert old.victim_name
    assert old.anonymised_on is None


def test_retention_removes_what_identifies_people_everywhere(client, people, aged):
    old = aged[0]
    documents = list(old.documents.all())
    paths = [Path(d.file.path) for d in documents]
    assert documents
    assert all(p.exists() for p in paths)
    output = _retention()
    assert f"Anonymised {old.public_title}" in output
    old.refresh_from_db()
    assert old.anonymised_on == timezone.localdate()
    assert (old.victim_name, old.perpetrator_name) == ("", "")
    assert (old.victim_date_of_birth, old.date_of_death) == (None, None)
    assert old.reference == "DHR-2015-01"
    assert old.victim_pseudonym == "Mary"  # the pseudonym stays
    # Every version in the history too.
    assert set(Review.history.filter(id=old.pk).values_list("victim_name", flat=True)) == {""}
    contact = old.family_contacts.get()
    assert "Bea" not in contact.who
    assert not FamilyContact.history.filter(id=contact.pk, who__contains="Bea").exists()
    assert not ConfidentialTerm.objects.filter(review=old).exists()
    assert not any(p.exists() for p in paths)
    client.force_login(people.coordinator)
    url = reverse("reviews:document", args=[old.pk, documents[0].pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("reviews:history", args=[old.pk])).content.decode()
    assert "at the end of the partnership's retention period" in page
    # Done once.
    assert _retention() == "No review is past its retention period.\n"
    recent = aged[2]
    recent.refresh_from_db()
    assert recent.victim_name


def test_evidence_files_go_with_the_review(people):
    people.home.retention_years = 1
    people.home.save()
    plan = plan_for(people, Status.MONITORING)
    evidence = EvidenceFactory(
        update=ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    )
    Action.objects.filter(pk=plan.action.pk).update(status=Action.Status.COMPLETED)
    Review.objects.filter(pk=plan.review.pk).update(
        status=Status.CONCLUDED, concluded_on=timezone.localdate() - timedelta(days=800)
    )
    _retention()
    evidence.refresh_from_db()
    assert not evidence.file


# --- the daily retention run (beat)


def test_the_daily_run_logs_what_is_due_then_anonymises_it_and_is_kept(aged, caplog, people):

    old, not_held, recent, _ = aged
    with caplog.at_level("INFO", logger="reviews.records"):
        result = retention.apply().get()
    assert result["outcome"] == "done"
    logged = [r.getMessage() for r in caplog.records if r.name == "reviews.records"]
    # The dry run's figures come first, then the removal.
    assert logged[0].startswith("Retention: 2 review(s) past their retention period")
    assert old.public_title in logged[0]
    assert logged[-1] == "Retention: anonymised 2 review(s)"
    assert set(Review.objects.filter(anonymised_on__isnull=False)) == {old, not_held}
    run = ScheduledRun.objects.get()
    assert run.job == ScheduledRun.RETENTION
    assert run.finished_at >= run.started_at
    assert run.summary.startswith("Anonymised 2 reviews:")
    assert recent.reference not in run.summary

    # On the administrator's page.
    client = Client()
    client.force_login(people.admin)
    page = client.get(reverse("administration")).content.decode()
    assert "Daily retention run" in page
    assert "Anonymised 2 reviews:" in page
    assert escape(old.public_title) in page

    # The next night nothing is due.
    retention.apply()
    assert ScheduledRun.objects.first().summary == "No review was past its retention period."


def test_a_failing_run_keeps_what_it_did_and_says_where_it_stopped(aged, monkeypatch):

    old, not_held, *_ = aged
    real = records.review_anonymise

    def fail_on_the_second(*, review, by=None):
        if review.pk == old.pk:
            raise RuntimeError("disk full")
        return real(review=review, by=by)

    monkeypatch.setattr(records, "review_anonymise", fail_on_the_second)
    run = records.retention_run(today=timezone.localdate())
    assert run.outcome == ScheduledRun.Outcome.FAILED
    assert "Anonymised 1 of 2 reviews, then stopped at" in run.summary
    assert "disk full" in run.summary
    assert Review.objects.get(pk=not_held.pk).anonymised_on is not None
    assert Review.objects.get(pk=old.pk).anonymised_on is None


def test_the_retention_run_is_scheduled_nightly_in_london(db):
    task = PeriodicTask.objects.get(name=DAILY_RETENTION)
    assert task.task == "reviews.tasks.retention"
    assert task.task in app.tasks
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "2",
        "30",
        "Europe/London",
    )


def test_the_administrator_s_page_before_any_run(client, people):
    client.force_login(people.admin)
    assert "It has not run yet." in client.get(reverse("administration")).content.decode()

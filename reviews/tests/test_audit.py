"""A review's audit page: every view of its confidential fields and every download of its files,
who and when, for its coordinators and chairs; nothing of another review."""

from django.urls import reverse

from dhr.models import AuditEvent
from reviews.tests.factories import ReviewDraftingFactory, ReviewReadyToSignOffFactory


def test_views_and_downloads_are_listed_with_who_and_what(client, people):
    review = ReviewReadyToSignOffFactory(partnership=people.home)
    other = ReviewDraftingFactory(partnership=people.home, reference="DHR-2025-77")
    document = review.documents.first()
    client.force_login(people.chair)
    client.post(reverse("reviews:confidential", args=[review.pk]), {"show": "yes"})
    response = client.get(reverse("reviews:document", args=[review.pk, document.pk]))
    b"".join(response.streaming_content)
    client.get(reverse("reviews:detail", args=[other.pk]))

    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:audit", args=[review.pk])).content.decode()
    rows = page.split('id="audit"', 1)[1]
    assert rows.count('<tr class="govuk-table__row">') == 3  # header, the view, the download
    assert people.chair.name in rows
    assert "Viewed confidential fields" in rows
    assert "Downloaded a document" in rows
    assert f"{review.reference}: {document.original_name}" in rows
    assert other.reference not in rows
    # Viewing the audit is itself not a read of confidential fields.
    assert AuditEvent.objects.filter(review_id=review.pk).count() == 2


def test_the_audit_is_paged(client, people):
    review = ReviewDraftingFactory(partnership=people.home)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=people.chair,
            kind=AuditEvent.Kind.CONFIDENTIAL_VIEWED,
            object_type="review",
            object_id=str(review.pk),
            detail=f"view {n}",
            review_id=review.pk,
        )
        for n in range(60)
    )
    client.force_login(people.coordinator)
    first = client.get(reverse("reviews:audit", args=[review.pk])).content.decode()
    assert "page 1 of 2" in first
    second = client.get(reverse("reviews:audit", args=[review.pk]) + "?page=2").content.decode()
    assert second.count("Viewed confidential fields") == 10


def test_the_history_tab_links_to_the_audit_for_leads_only(client, people):
    review = ReviewDraftingFactory(partnership=people.home)
    review.viewers.add(people.viewer)
    url = reverse("reviews:history", args=[review.pk])
    audit = reverse("reviews:audit", args=[review.pk])
    client.force_login(people.coordinator)
    assert audit in client.get(url).content.decode()
    client.force_login(people.viewer)
    assert audit not in client.get(url).content.decode()

"""Nothing a signed-in person sees, and no file of case material, is kept by a cache: every such
response says `Cache-Control: no-store` and never `public`. Pages for those not signed in may be
cached."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import reverse

from dhr.middleware import security_headers
from dhr.tests.test_forms_fuzz import _pages, plan, qa  # noqa: F401 - fixtures used below
from reviews.tests.factories import ReviewFactory


def _never_cached(response) -> bool:
    control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in control and "public" not in control


def test_every_signed_in_page_and_download_is_never_cached(client, people, plan, qa):  # noqa: F811
    client.force_login(people.admin)
    pages = [*_pages(people, plan, qa), "/admin/", "/no-such-page/"]
    seen = 0
    for page in pages:
        response = client.get(page)
        if response.streaming:
            b"".join(response.streaming_content)
        assert _never_cached(response), (page, response.status_code, response.get("Cache-Control"))
        seen += 1
    assert seen > 40


def test_a_signed_in_review_page_answers_no_store(client, people):
    review = ReviewFactory(partnership=people.home)
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_download_is_never_cached_even_when_a_view_said_public(rf, people):
    def view(request):
        response = HttpResponse(b"%PDF-", content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="a.pdf"'
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = AnonymousUser()
    assert _never_cached(security_headers(view)(request))


def test_pages_for_those_not_signed_in_are_left_to_cache(client, db):
    # (The sign-in page is never cached either: Django's own view says so.)
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")

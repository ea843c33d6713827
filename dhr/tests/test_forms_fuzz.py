"""Arbitrary input to every form of the service: every page an administrator can reach (so
every form on it) is read, each form's fields found, and hypothesis posts arbitrary values
(text of any kind and length, numbers, impossible dates, markup, formula text, control
characters, files) to each field. The service must answer each with a page, a redirect or a
refusal: never a 500. (Each form's specific messages are tested in its app.)"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FUZZ_SCALE
from dhr.tests.two_factor import app_of
from qa_feedback.tests import test_permissions as qa_matrix
from recommendations.tests import test_permissions as plan_matrix
from reviews.tests import test_permissions as review_matrix

SKIP_ACTIONS = {reverse("logout")}  # signing out ends the test's session, nothing else


# Something behind every URL of the matrices, built for each test (the matrices build theirs
# once for their module).
@pytest.fixture
def plan(people):
    return plan_matrix._plan(people)


@pytest.fixture
def qa(people):
    return qa_matrix._qa(people)


class Forms(HTMLParser):
    """The POST forms of a page: their action and their fields (name -> type)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = (attrs.get("action") or "", {})
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                kind = attrs.get("type", tag) if tag == "input" else tag
                self._current[1][name] = kind

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _pages(people, plan, qa):
    """Every page of the matrices, with something behind it, for the administrator."""
    pages = [reverse("dashboard"), reverse("account"), reverse("reviews:create")]
    pages += [reverse("people"), reverse("two_factor_reset", args=[people.chair.pk])]
    for name, (status, _) in review_matrix.MATRIX.items():
        pages.append(review_matrix._url(review_matrix._review(people, status), name))
    pages += [reverse("reviews:settings", args=[people.home.slug])]
    for name in plan_matrix.FORMS | {"plan", "tracker", "tracker_import"}:
        pages.append(plan_matrix._url(plan, name))
    for name in qa_matrix.MATRIX:
        if name not in ("bundle_download", "original", "bundle_status"):
            pages.append(qa_matrix._url(qa, name))
    return pages


def _forms(client, pages):
    found = {}
    for page in pages:
        response = client.get(page)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, so the file is closed
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or response.streaming or not html:
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            target = action or page
            if target not in SKIP_ACTIONS:
                found.setdefault(target, {}).update(fields)
    return found


ODD = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "31",
        "2",
        "2026-02-30",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "'; DROP TABLE reviews_review; --",
        "\x00",
        "\u202e\u200b",
        "🙂" * 40,
        "a" * 10_000,
    ]
)
VALUE = st.one_of(ODD, st.text(max_size=200), st.integers().map(str))


def _file_name(text: str) -> str:
    """The name a browser sends for a file: the last part of its path, never empty, "." or
    ".." (Django refuses to make an upload of those, before the service sees it)."""
    name = text.replace("\\", "/").rsplit("/", 1)[-1][:50]
    return name if name not in {"", ".", ".."} else "file.pdf"


def _value(kind, draw_value):
    if kind == "file":
        return SimpleUploadedFile(
            _file_name(draw_value), draw_value.encode("utf-8", "surrogatepass")[:2000]
        )
    return draw_value


@pytest.mark.slow
@pytest.mark.hypothesis  # its properties are built per form, inside: `make fuzz` selects it so
def test_no_form_answers_arbitrary_input_with_a_500(people, plan, qa):
    client, admin = StaySignedIn(), people.admin
    client.force_login(admin)
    forms = _forms(client, _pages(people, plan, qa))
    assert len(forms) > 40, f"only {len(forms)} forms found"

    for action, fields in sorted(forms.items()):
        _fuzz(client, admin, action, fields)()

    # The forms for those not signed in: signing in and asking for a password reset.
    client.logout()
    for action, fields in _forms(client, [reverse("login"), reverse("password_reset")]).items():
        _fuzz(client, None, action, fields)()


class StaySignedIn(Client):
    """A client that signs in again only when its session no longer signs the user in with
    their app: before every example, signing in wrote each time (the time of the last sign-in,
    the access log) and took a fifth of the test."""

    def force_login(self, user, backend=None):
        session = self.session
        user.refresh_from_db(fields=["password"])
        if not (
            session.get(SESSION_KEY) == str(user.pk)
            and session.get(HASH_SESSION_KEY) == user.get_session_auth_hash()
            and session.get(DEVICE_ID_SESSION_KEY) == app_of(user).persistent_id
        ):
            super().force_login(user, backend)


def _fuzz(client, admin, action: str, fields: dict[str, str]):
    """A hypothesis test posting arbitrary values (or none) for each of the form's fields."""

    @settings(
        max_examples=12 * FUZZ_SCALE,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUE)))
    def post_anything(data):
        if admin is not None:
            client.force_login(admin)
        body = {name: _value(fields[name], value) for name, value in data.items()}
        response = client.post(action, body)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code < 500, (action, body)

    return post_anything


def test_a_date_with_a_huge_number_is_a_message_not_a_crash():
    """Found by the test above: 2147483648 as a month overflowed date()."""
    from dhr.govuk_forms import GovDateField

    field = GovDateField(what="the date it ended")
    with pytest.raises(ValidationError, match="must be a real date"):
        field.clean(["0", "2147483648", "0"])


@pytest.mark.parametrize("text", ["/", ".", "..", "", "a/", "dir/..", "c:\\x\\", "🙂" * 60])
def test_the_fuzz_sends_file_names_a_browser_could(text):
    """Found by `make fuzz`: a drawn file name of "/" made the test itself raise
    SuspiciousFileOperation before anything was posted."""
    upload = _value("file", text)
    assert upload.name not in {"", ".", ".."}
    assert "/" not in upload.name


@pytest.mark.django_db
def test_the_fuzz_signs_in_again_only_when_signed_out(people):
    """So that every example is posted by the administrator signed in with their app, as when
    it signed in before each one."""
    admin, client = people.admin, StaySignedIn()
    client.force_login(admin)
    signed_in = type(admin).objects.get(pk=admin.pk).last_login
    client.force_login(admin)
    assert type(admin).objects.get(pk=admin.pk).last_login == signed_in

    for sign_out in (
        client.logout,
        lambda: (admin.set_password("another-password-1"), admin.save()),
        lambda: app_of(admin).delete(),
    ):
        sign_out()
        client.force_login(admin)
        assert client.get(reverse("dashboard")).status_code == 200

"""The authorisation matrix, from the URL configuration: every URL the project serves must have
an access rule in a matrix that requests it as every role (anonymous; coordinator, chair and
viewer of the owning partnership and of another; contacts of an involved agency and of
another; admin). A new URL without one fails here. The apps' matrices (each app's
`tests/test_permissions.py`) request their URLs; this file requests the rest."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dhr.models import FileJob
from dhr.tests.jobs import file_job
from dhr.tests.module_data import refetched
from qa_feedback.tests import test_permissions as qa_matrix
from recommendations.tests import test_permissions as plan_matrix
from reviews.tests import test_permissions as review_matrix

ROLES = plan_matrix.ROLES
EVERYONE = set(ROLES)


# The people are built once for the module (conftest.py, `module_transaction`); each test reads
# them afresh and its writes are undone.
@pytest.fixture
def people(db, module_people):
    return refetched(module_people)


def _all(status):
    return dict.fromkeys(ROLES, status)


# The service's own pages (dhr): what a signed-in user of each role gets. Two-factor set-up
# sends a user whose session is already verified on to the page asked for (302).
VERIFIED = {"admin", "coordinator", "chair", "other_coordinator", "other_chair"}
DHR_MATRIX = {
    "dashboard": _all(200),
    "account": _all(200),
    # Verified users go on; the rest have no app, so are sent to set one up.
    "two_factor_verify": _all(302),
    "two_factor_setup": {role: 302 if role in VERIFIED else 200 for role in ROLES},
    # Verified users go on; the rest have no app, so are sent to set one up.
    "two_factor_recovery": _all(302),
    # Shown once, straight after they are made; otherwise back to the account page.
    "recovery_codes": _all(302),
    "recovery_codes_new": _all(405),  # a button on the account page: POST only
    "keep_alive": _all(405),  # "Stay signed in" in the timeout warning: POST only
    "digest_setting": _all(200),  # the morning email, on or off
    # The administrator's pages: a 404 for everyone else.
    **{
        name: {role: 200 if role == "admin" else 404 for role in ROLES}
        for name in ("administration", "partnership_create", "people", "person", "two_factor_reset")
    },
    # A file made for the person who asked (the home coordinator): a 404 for anyone else,
    # administrators included.
    **{
        name: {role: 200 if role == "coordinator" else 404 for role in ROLES}
        for name in ("file_job", "file_job_status", "file_job_download")
    },
}
# Pages about one person: the home partnership's viewer.
DHR_ARGS = {"person", "two_factor_reset"}
FILE_JOB = {"file_job", "file_job_status", "file_job_download"}


def _dhr_url(people, name):
    if name in FILE_JOB:
        job = file_job(people.coordinator, state=FileJob.State.DONE)
        job.file.save("tracker.pdf", ContentFile(b"%PDF"), save=True)
        return reverse(name, args=[job.pk])
    return reverse(name, args=[people.viewer.pk] if name in DHR_ARGS else [])


# Open to anyone: signing in, resetting a password, and the health checks.
PUBLIC = {
    "accessibility",
    "health",
    "health_database",
    "health_redis",
    "health_worker",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _covered() -> set[str]:
    def keys(matrix):
        return {name.partition(":")[0] for name in matrix}

    return (
        {f"reviews:{n}" for n in keys(review_matrix.MATRIX) | review_matrix.ELSEWHERE}
        | {f"recommendations:{n}" for n in keys(plan_matrix.MATRIX)}
        | {f"qa_feedback:{n}" for n in set(qa_matrix.MATRIX) | set(qa_matrix.POSTS)}
        | set(DHR_MATRIX)
        | PUBLIC
    )


def test_every_url_of_the_project_has_an_access_rule():
    served = {name for name in _names(get_resolver()) if not name.startswith("admin:")}
    missing = served - _covered()
    assert not missing, f"URLs without an access rule in any matrix: {sorted(missing)}"


def test_the_matrices_name_every_role():
    for matrix in (plan_matrix.MATRIX, qa_matrix.MATRIX, DHR_MATRIX):
        assert all(set(rule) == EVERYONE for rule in matrix.values())


@pytest.mark.parametrize("name", list(DHR_MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_the_service_s_own_pages_as_each_role(client, people, name, role):
    client.force_login(getattr(people, role))
    response = client.get(_dhr_url(people, name))
    if response.streaming:  # a download: read to its end, so that its file is closed
        b"".join(response.streaming_content)
    assert response.status_code == DHR_MATRIX[name][role]


@pytest.mark.parametrize("name", list(DHR_MATRIX))
def test_the_service_s_own_pages_need_sign_in(client, people, name):
    response = client.get(_dhr_url(people, name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", sorted(PUBLIC - {"logout", "password_reset_confirm", "health_worker"})
)
def test_public_pages_open_to_anyone(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_administrators_only(client, people, role):
    client.force_login(getattr(people, role))
    response = client.get("/admin/")
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")

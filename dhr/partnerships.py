"""A new partnership with its coordinator and chair, from the administrator's page or
`dhr-manage create_partnership`: the partnership, an account for each person who has none (with
no password yet), their roles, and an email inviting each to the service. A new person chooses
their own password through the emailed link (Django's signed single-use reset link, valid for
PASSWORD_RESET_TIMEOUT) and, as coordinators and chairs must, sets up an authenticator app at
their first sign-in. Someone who already has an account is told of their new role instead."""

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from dhr.email import absolute_url, email_queue
from dhr.models import Membership, Partnership, Role, User
from dhr.services import record_save
from dhr.sign_in import email_key


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def _slug(name: str) -> str:
    base = slugify(name)[:50] or "partnership"
    slug, n = base, 1
    while Partnership.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _invite(*, user: User, new: bool, role: str, partnership: Partnership, by) -> None:
    context = {
        "user": user,
        "new": new,
        "role": Role(role).in_sentence,
        "partnership": partnership,
        "by": by,
        "sign_in_url": absolute_url(reverse("login")),
    }
    if new:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        context["password_url"] = absolute_url(path)
    email_queue(
        to=[user.email],
        subject=f"You have been given access to {partnership.name}'s reviews",
        template="email/invitation",
        context=context,
        partnership=partnership,
    )


@transaction.atomic
def partnership_create(
    *, name: str, area: str, coordinator: Person, chair: Person, by=None
) -> Partnership:
    """Create the partnership and its two leads, and queue their invitations (sent once the
    transaction commits)."""
    partnership = Partnership(name=name.strip(), slug=_slug(name), area=area.strip())
    reason = "Partnership added by an administrator"
    record_save(partnership, by=by, reason=reason)
    for person, role in ((coordinator, Role.COORDINATOR), (chair, Role.CHAIR)):
        user = User.objects.filter(email=email_key(person.email)).first()
        new = user is None
        if new:
            user = User(email=person.email, name=person.name.strip())
            user.set_unusable_password()
            record_save(user, by=by, reason=reason)
        record_save(Membership(user=user, partnership=partnership, role=role), by=by, reason=reason)
        _invite(user=user, new=new, role=role, partnership=partnership, by=by)
    return partnership


def partnership_create_from(data: dict, *, by=None) -> Partnership:
    """`partnership_create` from a valid `PartnershipCreateForm`'s cleaned data (the page and
    the command both check their input with that form)."""
    return partnership_create(
        name=data["name"],
        area=data["area"],
        coordinator=Person(data["coordinator_name"], data["coordinator_email"]),
        chair=Person(data["chair_name"], data["chair_email"]),
        by=by,
    )

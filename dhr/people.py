"""Whom to write to: the email addresses of a partnership's members in a role, and of an
agency's contacts. Not scoped to a user: used by services and jobs that send email."""

from functools import cache

from dhr.models import User


def emails_of_role(partnership_id: int, role: str) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True, memberships__partnership_id=partnership_id, memberships__role=role
        )
        .order_by("email")
        .values_list("email", flat=True)
    )


def emails_of_agency(agency_id: int, partnership_id: int) -> list[str]:
    """The agency's contacts serving the partnership: those its requests and reminders go to
    (the rule of `dhr.permissions.serves`, for whom to write to)."""
    return list(
        User.objects.filter(
            is_active=True,
            agency_contacts__agency_id=agency_id,
            agency_contacts__partnerships=partnership_id,
        )
        .distinct()
        .order_by("email")
        .values_list("email", flat=True)
    )


class Directory:
    """The same look-ups, each made once: for a job that writes many emails in one run."""

    def __init__(self):
        self.role = cache(emails_of_role)
        self.agency = cache(emails_of_agency)

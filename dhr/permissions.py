"""Who holds which role where. Every access rule of the apps is built from these few facts.

The rules themselves sit beside the querysets they answer for (`reviews.selectors`): one
function answers "which may this user list" and the same function, narrowed to one object,
answers "may this user see it". These helpers only say what roles a user holds.
"""

from dhr.models import Role

CONFIDENTIAL_ROLES = frozenset({Role.COORDINATOR, Role.CHAIR})


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def roles_by_partnership(user) -> dict[int, str]:
    """{partnership id: role} for the user, read once per user object (so once per request)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_dhr_roles", None)
    if cached is None:
        cached = dict(user.memberships.values_list("partnership_id", "role"))
        user._dhr_roles = cached
    return cached


def role_in(user, partnership_id: int) -> str | None:
    return roles_by_partnership(user).get(partnership_id)


def partnership_ids_with(user, *roles: str) -> list[int]:
    return [pid for pid, role in roles_by_partnership(user).items() if role in roles]


def agency_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_dhr_agencies", None)
    if cached is None:
        cached = list(user.agency_contacts.values_list("agency_id", flat=True))
        user._dhr_agencies = cached
    return cached


def may_see_confidential(user, partnership_id: int) -> bool:
    """Real names, dates of birth and the date of death: the owning partnership's
    coordinators and chairs (and administrators) only."""
    return is_admin(user) or role_in(user, partnership_id) in CONFIDENTIAL_ROLES


def may_record(user, partnership_id: int) -> bool:
    """Coordinators record what happens on their partnership's reviews."""
    return is_admin(user) or role_in(user, partnership_id) == Role.COORDINATOR


def may_decide(user, partnership_id: int) -> bool:
    """Chairs decide, approve and sign off."""
    return is_admin(user) or role_in(user, partnership_id) == Role.CHAIR

"""Who holds which role where. Every access rule of the apps is built from these few facts.

The rules themselves sit beside the querysets they answer for (`reviews.selectors`): one
function answers "which may this user list" and the same function, narrowed to one object,
answers "may this user see it". These helpers only say what roles a user holds.
"""

from django.db.models import Q

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


def served_by(user) -> dict[int, frozenset[int]]:
    """{agency id: the partnerships the user serves as its contact}, read once per user object
    (so once per request)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_dhr_served", None)
    if cached is None:
        pairs: dict[int, set[int]] = {}
        for agency_id, partnership_id in user.agency_contacts.values_list(
            "agency_id", "partnerships"
        ):
            served = pairs.setdefault(agency_id, set())
            if partnership_id is not None:
                served.add(partnership_id)
        cached = {agency: frozenset(served) for agency, served in pairs.items()}
        user._dhr_served = cached
    return cached


def agency_ids(user) -> list[int]:
    """The agencies the user is a contact of, for whichever partnerships: whether to show the
    agency's pages at all. What they reach there is `serves` / `served_q`."""
    return list(served_by(user))


# One rule, two forms: an agency's contact reaches a thing of their agency (an action, a request
# for updates, an agency report) only in a partnership they serve for that agency. `serves`
# answers for one thing; `served_q` selects the things, for lists and for 404s on the rest.


def serves(user, agency_id: int | None, partnership_id: int) -> bool:
    """May the user, as a contact of the agency, reach the agency's things in the partnership?"""
    return partnership_id in served_by(user).get(agency_id, ())


def served_q(user, *, agency: str, partnership: str) -> Q:
    """The queryset twin of `serves`: `agency` and `partnership` name the lookups of the
    agency id and partnership id on the model filtered (nothing matches for a non-contact)."""
    rule = Q(pk__in=[])
    for agency_id, partnerships in served_by(user).items():
        if partnerships:
            rule |= Q(**{agency: agency_id, f"{partnership}__in": sorted(partnerships)})
    return rule


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

"""Reads of the core's own records (partnerships), scoped to the user: what the user may not
know of is a 404, never a 403."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from dhr.models import Partnership, Role
from dhr.permissions import is_admin, partnership_ids_with


def partnerships_managed_by(user) -> QuerySet[Partnership]:
    """The partnerships whose own pages the user may see: as their coordinator or chair."""
    if is_admin(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(
        pk__in=partnership_ids_with(user, Role.COORDINATOR, Role.CHAIR)
    )


def partnership_get(*, user, slug: str) -> Partnership:
    """A partnership's own pages (settings, requests for updates, escalations): its
    coordinators and chairs may see them, everyone else gets a 404."""
    return get_object_or_404(partnerships_managed_by(user), slug=slug)

from django.conf import settings

from dhr.models import Agency, Partnership, Role
from dhr.permissions import agency_ids, roles_by_partnership

ADMINISTRATION_PAGES = {
    "administration",
    "partnership_create",
    "people",
    "person",
    "two_factor_reset",
}


def service(request):
    """The service name and, for the header, where the signed-in user stands."""
    context = {
        "service_name": settings.SERVICE_NAME,
        # The timeout warning shows this long before the idle limit (`js/timeout-warning.mjs`).
        "idle_seconds": settings.SESSION_COOKIE_AGE,
        "timeout_warning_seconds": min(120, settings.SESSION_COOKIE_AGE // 2),
    }
    match = getattr(request, "resolver_match", None)
    if match is not None:
        context["nav_dashboard"] = match.view_name == "dashboard"
        context["nav_reviews"] = match.namespace == "reviews"
        context["nav_actions"] = match.namespace == "recommendations" and match.url_name in (
            "your_actions",
            "action",
            "update",
        )
        context["nav_administration"] = match.url_name in ADMINISTRATION_PAGES
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["header_roles"] = _header_roles(user)
        context["is_agency_contact"] = bool(agency_ids(user))
    return context


def _header_roles(user):
    roles = []
    by_partnership = roles_by_partnership(user)
    if by_partnership:
        names = dict(Partnership.objects.filter(pk__in=by_partnership).values_list("pk", "name"))
        for pid, role in by_partnership.items():
            roles.append(f"{Role(role).label}, {names.get(pid, '')}")
    agencies = agency_ids(user)
    if agencies:
        for name in Agency.objects.filter(pk__in=agencies).values_list("name", flat=True):
            roles.append(f"Agency contact, {name}")
    if user.is_superuser:
        roles.append("Administrator")
    return roles

"""The page framework every app's views stand on.

One way to guard a page, `GuardedView`: for every request, whatever its method, it sends
someone not signed in to sign in, then calls `load()`, which loads what the page works on
through the user's scope (a 404 for what the user may not know of), then `check_access()`,
which refuses with a 403 what the user may see but not do. A view says what it loads and what
it checks; it never calls either itself, so no page can forget to.

`ServiceFormMixin` is how a form page changes anything: one service call, the business rule's
refusal shown on the form with the input kept, and a save on an older version of the record
refused. `PartnershipMixin` is the guard of a partnership's own pages.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from dhr import selectors, versions
from dhr.errors import NotAllowed, TransitionError
from dhr.kept_input import keep, take
from dhr.permissions import may_record


class GuardedView(LoginRequiredMixin):
    """Signed in, then `load()` (404), then `check_access()` (403), before any handler."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load()
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        """Not signed in (their session ended while they typed): what they sent is kept, to be
        filled back in once they have signed in again (`dhr.kept_input`)."""
        request = self.request
        if not request.user.is_authenticated and request.method == "POST" and keep(request):
            minutes = settings.SESSION_COOKIE_AGE // 60
            messages.info(
                request,
                f"You were signed out after {minutes} minutes without activity, so your answers "
                "were not sent. Sign in again: they will be filled back in for you to send.",
            )
        return super().handle_no_permission()

    def load(self) -> None:
        """Load what the page works on through the user's scope: Http404 outside it."""

    def check_access(self) -> None:
        """Raise PermissionDenied (403) when the user may see what was loaded but not use this
        page now. Subclasses extend it and call super()."""


class ServiceFormMixin:
    """`form_valid` calls `perform(form)`, which calls one service and returns the message to
    show. A refusal for the user's role is a 403; any other refusal (a business rule, a
    validation error) re-renders the form with the message, the input kept.

    A view whose form edits one record names it in `versioned()`: the page carries the
    record's version, and a save on an older one is refused with who changed it and when
    (`dhr.versions`), the input kept."""

    def versioned(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            kept = take(self.request)  # answers that could not be sent before (`dhr.kept_input`)
            if kept is not None:
                kwargs["data"] = kept
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.versioned()
        if record is not None:
            context["record_version"] = versions.version_of(record)
        return context

    def form_valid(self, form):
        record = self.versioned()
        if record is None:
            return self._perform(form)
        with transaction.atomic():
            versions.lock(record)
            conflict = versions.changed_since(record, self.request.POST.get(versions.FIELD))
            if conflict:
                form.add_error(None, conflict)
                return self.form_invalid(form)
            return self._perform(form)

    def _perform(self, form):
        try:
            message = self.perform(form)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except (TransitionError, ValidationError) as error:
            for field, texts in _by_field(error).items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
            return self.form_invalid(form)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form) -> str:
        raise NotImplementedError


def ours(request, target: str, *, default: str) -> str:
    """`target` if it is a page of this site (a redirect a request names: `next`, the Referer),
    otherwise `default`."""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


def _by_field(error: Exception) -> dict[str | None, list[str]]:
    """A refusal's messages by the field they are about (None: the whole form). A service's
    ValidationError given as {field: message} is shown on that field, as the form's own are."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {
            field: [text for e in errors for text in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {None: getattr(error, "messages", [str(error)])}


class PartnershipMixin(GuardedView):
    """A partnership's own pages: its coordinators and chairs (a 404 for everyone else);
    `coordinators_only` pages refuse its chairs with a 403."""

    coordinators_only = False
    refusal = "Only a coordinator can do this."

    def load(self):
        super().load()
        self.partnership = selectors.partnership_get(
            user=self.request.user, slug=self.kwargs["slug"]
        )

    def check_access(self):
        super().check_access()
        if self.coordinators_only and not may_record(self.request.user, self.partnership.pk):
            raise PermissionDenied(self.refusal)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "partnership": self.partnership}

"""A longer timescale for the overview report: a coordinator asks for it (from a parallel
proceeding too), a CSP chair approves or refuses it."""

from django.utils import timezone

from dhr.errors import guarded
from dhr.models import Role
from reviews import forms, selectors, services, workflow
from reviews.pages import ReviewFormView


class ExtensionRequestView(ReviewFormView):
    """Ask for a longer timescale; from a parallel proceeding (`?proceeding=`), with the
    proceeding as its reason (decision 0013)."""

    form_class = forms.ExtensionRequestForm
    stage = "extensions"
    title = "Ask for an extension"

    def get_proceeding(self):
        """The proceeding it is asked for because of, if the link named one of this review's."""
        if not hasattr(self, "_proceeding"):
            pk = self.request.GET.get("proceeding", "")
            found = selectors.review_proceedings(self.review).filter(pk=pk) if pk.isdigit() else []
            self._proceeding = next(iter(found), None)
        return self._proceeding

    def get_initial(self):
        proceeding = self.get_proceeding()
        if proceeding is None:
            return {}
        return {
            "reason": f"{proceeding.described}: the partnership agreed an alternative "
            "timescale for the overview report because of it."
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clock = selectors.review_report_clock(self.review, timezone.localdate())
        if clock is not None:
            context["intro"] = (
                f"The overview report is due by {clock.adjusted:%-d %B %Y}. Choose a date "
                "that allows for the proceedings so far: only days of an agreed pause from "
                "today on will move it further. A CSP chair approves or refuses it; until then the "
                "date stays."
            )
        return context

    def perform(self, form):
        services.extension_request(
            review=self.review,
            by=self.request.user,
            requested_on=timezone.localdate(),
            new_due_on=form.cleaned_data["new_due_on"],
            reason=form.cleaned_data["reason"],
            proceeding=self.get_proceeding(),
        )
        return "Extension requested: the CSP chair has been told"


class ExtensionDecideView(ReviewFormView):
    form_class = forms.ExtensionDecisionForm
    role = Role.CHAIR
    template_name = "reviews/extension_decide.html"
    title = "Decide an extension"

    def get_extension(self):
        if not hasattr(self, "_extension"):
            self._extension = selectors.extension_get(
                review=self.review, pk=self.kwargs["extension_pk"]
            )
        return self._extension

    def check_submit(self):
        super().check_submit()
        guarded(
            workflow.guard_extension_decide, self.get_extension(), self.review, self.request.user
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            extension=self.get_extension(),
            report_clock=selectors.review_report_clock(self.review, timezone.localdate()),
        )
        return context

    def perform(self, form):
        extension = services.extension_decide(
            extension=self.get_extension(),
            by=self.request.user,
            approve=form.cleaned_data["approve"],
            decided_on=timezone.localdate(),
            comment=form.cleaned_data["comment"],
        )
        return f"Extension {extension.get_status_display().lower()}"

"""The review's pages stand on these (and the other apps' pages of a review too): the review
loaded through the user's scope, and a form on one stage of it (see `dhr.pages`)."""

from django.core.exceptions import PermissionDenied
from django.views.generic import FormView

from dhr.errors import StageClosed, TransitionError
from dhr.models import Role
from dhr.pages import GuardedView, ServiceFormMixin
from dhr.permissions import may_see_confidential
from reviews import selectors, workflow

READ_METHODS = frozenset({"GET", "HEAD"})


class ReviewMixin(GuardedView):
    """Loads the review once per request, through the user's scope (404 outside it)."""

    def load(self):
        super().load()
        self.review = selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        return context


SHOWN = "confidential_shown"  # the session's list of reviews whose confidential details are shown


def confidential_show(request, review, *, show: bool) -> None:
    shown = [pk for pk in request.session.get(SHOWN, []) if pk != review.pk]
    request.session[SHOWN] = [*shown, review.pk] if show else shown


class ConfidentialMixin:
    """A review page that shows the confidential details only when asked (see
    `views.overview.ConfidentialView`)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_see = may_see_confidential(self.request.user, self.review.partnership_id)
        context.update(
            may_see_confidential=may_see,
            # Hidden until they press "Show confidential details", in this session.
            show_confidential=may_see and self.review.pk in self.request.session.get(SHOWN, []),
        )
        return context


class LeadsMixin(ReviewMixin):
    """Pages that show the review's confidential values or whole record (the audit, the
    export, the anonymity findings): its coordinators and chairs; its viewers get 403."""

    def check_access(self):
        super().check_access()
        if not may_see_confidential(self.request.user, self.review.partnership_id):
            raise PermissionDenied(
                "Only the partnership's coordinators and CSP chairs can see this."
            )


class ReviewFormView(ServiceFormMixin, ReviewMixin, FormView):
    """A form on one stage of a review. Subclasses name the stage, the role that records it,
    and `perform(form)`, which calls one service; a page with more to check than the stage and
    the role extends `check_submit()`."""

    template_name = "reviews/form.html"
    stage: str = ""
    role: str = Role.COORDINATOR
    title = ""
    intro = ""

    # True for a page listing the stage's records, which anyone who may see the review may
    # read: only its form needs the role, and it is shown only to those who may submit it.
    readable_by_all = False
    # True for a form that changes the review itself (not a record added to it): a save on
    # an older version of the review is refused (see ServiceFormMixin).
    edits_review = False

    def versioned(self):
        return self.review if self.edits_review else None

    def check_access(self):
        super().check_access()
        if self.readable_by_all and self.request.method in READ_METHODS:
            try:
                self.check_submit()
            except PermissionDenied:
                self.may_submit = False
            else:
                self.may_submit = True
            return
        self.check_submit()
        self.may_submit = True

    def check_submit(self) -> None:
        """Refuse (403) a user who may not send the form now: by default, anyone without the
        page's role, or when the review is past the page's stage."""
        if not workflow.may_act_as(self.request.user, self.review, self.role):
            raise PermissionDenied(f"Only a {Role(self.role).in_sentence} can do this.")
        if self.stage:
            try:
                workflow.guard_edit(self.review, self.stage, self.request.user, self.role)
            except TransitionError as error:
                raise StageClosed(str(error)) from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            intro=self.intro,
            back_url=self.get_success_url(),
            may_submit=self.may_submit,
        )
        return context

    def get_success_url(self):
        return self.review.get_absolute_url()

"""The review's QA tab: its Home Office letters, reading a new one, checking it before it is
recorded, and answering the panel's points."""

from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from dhr.downloads import stored_file_download
from dhr.errors import allowed, guarded
from dhr.permissions import may_see_confidential
from qa_feedback import selectors, services, workflow
from qa_feedback.deadlines import qa_revision_deadline
from qa_feedback.forms import (
    ConfirmForm,
    LetterCheckForm,
    LetterReadForm,
    PointResponseForm,
)
from qa_feedback.views.national import national_answers_offered
from reviews import workflow as review_workflow
from reviews.pages import ReviewFormView, ReviewMixin

# The review's transitions offered on the QA tab as well as on its overview.
QA_TRANSITIONS = frozenset(
    {"receive_qa_letter", "start_revising", "resubmit", "approve_for_publication", "publish"}
)


class QAView(ReviewMixin, TemplateView):
    """The review's QA tab: its letters, how far the latest one is answered, and the
    publication checklist."""

    template_name = "qa_feedback/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.review, self.request.user
        letters = selectors.letters_of(review)  # newest first, as latest_letter orders them
        latest = next((letter for letter in letters if not workflow.being_checked(letter)), None)
        context.update(
            letters=[letter for letter in letters if not workflow.being_checked(letter)],
            draft=next((letter for letter in letters if workflow.being_checked(letter)), None),
            latest=latest,
            revised_report=qa_revision_deadline(review, timezone.localdate()),
            progress=selectors.letter_progress(latest) if latest else None,
            checklist=selectors.checklist(review, latest),
            checklist_history=selectors.checklist_history(review),
            may_record_letter=allowed(workflow.guard_letter, review, user),
            may_tick=allowed(workflow.guard_checklist, review, user),
            may_record_copies=allowed(workflow.guard_copies, review, user),
            may_see_bundles=may_see_confidential(user, review.partnership_id),
            latest_bundle=review.bundles.select_related("requested_by").first(),
            transitions=[
                (t, missing)
                for t, missing in review_workflow.available(review, user)
                if t.name in QA_TRANSITIONS
            ],
            active_tab="qa",
        )
        return context


class LetterReadView(ReviewFormView):
    """The coordinator pastes the letter or uploads it; the app reads it into a proposal."""

    form_class = LetterReadForm
    template_name = "reviews/form.html"
    title = "Record the Home Office QA letter"
    intro = (
        "Paste the letter's text or upload it. The app reads its dates, the panel's decision "
        "and the points to address; you check them all before anything is recorded."
    )

    def check_submit(self):
        guarded(workflow.guard_letter, self.review, self.request.user)

    def get(self, request, *args, **kwargs):
        draft = selectors.letter_being_checked(self.review)
        if draft is not None:  # finish checking the letter already read
            return redirect(draft.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        self.letter = services.letter_propose(
            review=self.review,
            by=self.request.user,
            text=form.letter_text,
            upload=form.cleaned_data.get("file"),
        )
        count = self.letter.points.count()
        return f"The letter was read: {count} point{'s' if count != 1 else ''} found. Check them."

    def get_success_url(self):
        letter = getattr(self, "letter", None)
        return (
            letter.get_absolute_url()
            if letter
            else reverse("qa_feedback:review", args=[self.review.pk])
        )


class DraftMixin:
    """Loads the letter being checked (a recorded letter's page is elsewhere)."""

    def load(self):
        super().load()
        self.letter = selectors.letter_get(review=self.review, pk=self.kwargs["letter_pk"])

    def check_access(self):
        # A letter recorded since is no longer checked here: get and post send the user on to
        # its own page, which has its own rules.
        if workflow.being_checked(self.letter):
            super().check_access()

    def get(self, request, *args, **kwargs):
        if not workflow.being_checked(self.letter):
            return redirect(self.letter.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not workflow.being_checked(self.letter):
            return redirect(self.letter.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def check_submit(self):
        guarded(workflow.guard_letter, self.review, self.request.user)


class LetterCheckView(DraftMixin, ReviewFormView):
    """The proposal, every field editable, recorded only when the coordinator says so."""

    form_class = LetterCheckForm
    template_name = "qa_feedback/check.html"
    title = "Check the letter"

    def get_form_kwargs(self):
        proposed = self.letter.points.count()
        slots = proposed + 1
        kwargs = super().get_form_kwargs()
        kwargs.update(letter=self.letter, slots=slots, proposed=proposed)
        kwargs["initial"] = LetterCheckForm.initial_for(self.letter, slots)
        return kwargs

    def post(self, request, *args, **kwargs):
        if "add_point" in request.POST and workflow.being_checked(self.letter):
            data = request.POST.copy()
            try:
                data["slots"] = str(int(data.get("slots", "1")) + 1)
            except ValueError:
                data["slots"] = str(self.letter.points.count() + 2)
            form = LetterCheckForm(
                data=data,
                letter=self.letter,
                slots=int(data["slots"]),
                proposed=self.letter.points.count(),
            )
            form.full_clean()
            form._errors = ErrorDict()  # adding a point is not a submission: no errors yet
            return self.render_to_response(self.get_context_data(form=form, added=True))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            letter=self.letter, back_url=reverse("qa_feedback:review", args=[self.review.pk])
        )
        return context

    def perform(self, form):
        services.letter_record(
            letter=self.letter,
            by=self.request.user,
            data=form.letter_data(),
            points=form.points,
        )
        count = len(form.points)
        return f"Letter recorded with {count} point{'s' if count != 1 else ''} to address"

    def get_success_url(self):
        return reverse("qa_feedback:letter", args=[self.review.pk, self.letter.pk])


class LetterDiscardView(DraftMixin, ReviewFormView):
    form_class = ConfirmForm
    title = "Discard the letter being checked"
    intro = "The text, the file and the points read from it are deleted. Nothing else changes."

    def perform(self, form):
        services.letter_discard(letter=self.letter, by=self.request.user)
        return "The letter was discarded"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.letter.get_absolute_url()
        return context

    def get_success_url(self):
        return reverse("qa_feedback:review", args=[self.review.pk])


class LetterView(ReviewMixin, TemplateView):
    """A recorded letter: each point with its response and status, and how many are answered."""

    template_name = "qa_feedback/letter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = selectors.letter_get(review=self.review, pk=self.kwargs["letter_pk"])
        if workflow.being_checked(letter):
            raise Http404("This letter is still being checked.")
        recommendations = selectors.recommendations_named(letter)
        points = list(letter.points.all())
        context.update(
            letter=letter,
            rows=[
                (point, [recommendations.get(n) or n for n in point.recommendation_numbers])
                for point in points
            ],
            progress=selectors.points_progress([point.status for point in points]),
            history=selectors.letter_history(letter),
            may_answer=bool(points) and allowed(workflow.guard_point, points[0], self.request.user),
            national_answers=national_answers_offered(self.review, letter, self.request.user),
            active_tab="qa",
        )
        return context


class PointView(ReviewFormView):
    form_class = PointResponseForm
    template_name = "qa_feedback/point.html"

    @cached_property
    def point(self):
        return selectors.point_get(review=self.review, pk=self.kwargs["point_pk"])

    @property
    def title(self):
        return f"Point {self.point.number}: the response"

    def check_submit(self):
        guarded(workflow.guard_point, self.point, self.request.user)

    def versioned(self):
        return self.point

    def get_initial(self):
        return {name: getattr(self.point, name) for name in services.POINT_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["point"] = self.point
        return context

    def perform(self, form):
        services.point_respond(point=self.point, by=self.request.user, data=form.cleaned_data)
        return f"Point {self.point.number} saved"

    def get_success_url(self):
        url = reverse("qa_feedback:letter", args=[self.review.pk, self.point.letter_id])
        return f"{url}#point-{self.point.number}"


class OriginalDownloadView(ReviewMixin, View):
    def get(self, request, *args, **kwargs):
        letter = selectors.letter_get(review=self.review, pk=kwargs["letter_pk"])
        original = getattr(letter, "original", None)
        if original is None:
            raise Http404("This letter was pasted, not uploaded.")
        return stored_file_download(
            request,
            original,
            object_type="qa_letter",
            object_id=letter.pk,
            detail=f"{self.review.reference}: {original.original_name}",
            review_id=self.review.pk,
        )

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from dhr.downloads import audited_download
from dhr.models import Role
from dhr.permissions import may_see_confidential
from qa_feedback import selectors, services, workflow
from qa_feedback.forms import (
    AcceptFindingForm,
    LetterCheckForm,
    LetterReadForm,
    PointResponseForm,
    ReportTextForm,
    StepForm,
    TermForm,
)
from qa_feedback.models import AnonymityFinding, ChecklistItem, QALetter
from reviews import selectors as review_selectors
from reviews import workflow as review_workflow
from reviews.forms import GovForm
from reviews.models import ReportVersion
from reviews.views import (
    LeadsMixin,
    PartnershipMixin,
    ReviewFormView,
    ReviewMixin,
    StageClosed,
)


def _checked(guard, *args) -> None:
    """A guard's refusal as the page's answer: 403 for the role, otherwise the stage is closed."""
    try:
        guard(*args)
    except workflow.NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except workflow.TransitionError as error:
        raise StageClosed(str(error)) from error


class QAView(ReviewMixin, TemplateView):
    """The review's QA tab: its letters, how far the latest one is answered, and the
    publication checklist."""

    template_name = "qa_feedback/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.review, self.request.user
        letters = selectors.letters_of(review)  # newest first, as latest_letter orders them
        latest = next((letter for letter in letters if not letter.is_draft), None)
        context.update(
            letters=[letter for letter in letters if not letter.is_draft],
            draft=next((letter for letter in letters if letter.is_draft), None),
            latest=latest,
            progress=selectors.letter_progress(latest) if latest else None,
            checklist=selectors.checklist(review, latest),
            checklist_history=selectors.checklist_history(review),
            may_record_letter=workflow.may(workflow.guard_letter, review, user),
            may_tick=workflow.may(workflow.guard_checklist, review, user),
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


# The review's transitions offered on the QA tab as well as on its overview.
QA_TRANSITIONS = frozenset(
    {"receive_qa_letter", "start_revising", "resubmit", "approve_for_publication", "publish"}
)


class LetterReadView(ReviewFormView):
    """The coordinator pastes the letter or uploads it; the app reads it into a proposal."""

    form_class = LetterReadForm
    template_name = "reviews/form.html"
    title = "Record the Home Office QA letter"
    intro = (
        "Paste the letter's text or upload it. The app reads its dates, the panel's decision "
        "and the points to address; you check them all before anything is recorded."
    )

    def check_access(self):
        _checked(workflow.guard_letter, self.review, self.request.user)

    def get(self, request, *args, **kwargs):
        self.check_access()
        draft = self.review.qa_letters.filter(state=QALetter.State.DRAFT).first()
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

    @cached_property
    def letter(self) -> QALetter:
        return selectors.letter_get(review=self.review, pk=self.kwargs["letter_pk"])

    def get(self, request, *args, **kwargs):
        if not self.letter.is_draft:
            return redirect(self.letter.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.letter.is_draft:
            return redirect(self.letter.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def check_access(self):
        _checked(workflow.guard_letter, self.review, self.request.user)


class LetterCheckView(DraftMixin, ReviewFormView):
    """The proposal, every field editable, recorded only when the coordinator says so."""

    form_class = LetterCheckForm
    template_name = "qa_feedback/check.html"
    title = "Check the letter"

    def get_form_kwargs(self):
        slots = self.letter.points.count() + 1
        kwargs = super().get_form_kwargs()
        kwargs["slots"] = slots
        kwargs["initial"] = LetterCheckForm.initial_for(self.letter, slots)
        return kwargs

    def post(self, request, *args, **kwargs):
        if "add_point" in request.POST and self.letter.is_draft:
            self.check_access()
            self.may_submit = True
            data = request.POST.copy()
            try:
                data["slots"] = str(int(data.get("slots", "1")) + 1)
            except ValueError:
                data["slots"] = str(self.letter.points.count() + 2)
            form = LetterCheckForm(data=data, slots=int(data["slots"]))
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


class ConfirmForm(GovForm):
    submit_label = "Discard the letter"


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
        if letter.is_draft:
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
            may_answer=bool(points)
            and workflow.may(workflow.guard_point, points[0], self.request.user),
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

    def check_access(self):
        _checked(workflow.guard_point, self.point, self.request.user)

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
        if not original.file:
            raise Http404("The file was removed at the end of the retention period.")
        return audited_download(
            request,
            content=original.file.open("rb"),
            filename=original.original_name,
            content_type=original.content_type,
            object_type="qa_letter",
            object_id=letter.pk,
            detail=f"{self.review.reference}: {original.original_name}",
            review_id=self.review.pk,
        )


class StepView(ReviewFormView):
    """Tick one publication step with when it was done (or take the tick back)."""

    form_class = StepForm
    template_name = "qa_feedback/step.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["item"] not in ChecklistItem.values:
            raise Http404
        self.item = ChecklistItem(kwargs["item"])
        self.title = self.item.label
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        _checked(workflow.guard_checklist, self.review, self.request.user)

    def get_initial(self):
        step = self.review.publication_steps.filter(item=self.item).first()
        if step:
            return {"done_on": step.done_on, "note": step.note}
        return {"done_on": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        if "undo" in request.POST:
            self.check_access()
            try:
                services.step_untick(review=self.review, by=request.user, item=self.item)
            except workflow.TransitionError as error:
                raise StageClosed(str(error)) from error
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["step"] = (
            self.review.publication_steps.filter(item=self.item).select_related("done_by").first()
        )
        return context

    def perform(self, form):
        services.step_tick(
            review=self.review,
            by=self.request.user,
            item=self.item,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
        )
        return f"Done: {self.item.label}"

    def get_success_url(self):
        return reverse("qa_feedback:review", args=[self.review.pk]) + "#publication"


class LearningView(PartnershipMixin, TemplateView):
    """Across a partnership's letters, how often each kind of point comes up."""

    template_name = "qa_feedback/learning.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total, table, examples = selectors.learning(self.partnership)
        context.update(total=total, table=table, examples=examples)
        return context


# --- the publishable PDF bundle


class BundlesView(LeadsMixin, TemplateView):
    template_name = "qa_feedback/bundles.html"

    def get(self, request, *args, **kwargs):
        self.leads_only()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.review, self.request.user
        review_selectors.confidential_view_record(user=user, review=review)
        bundles = list(selectors.bundles_of(review))
        latest = bundles[0] if bundles else None
        accepted = selectors.accepted_values(review)
        context.update(
            bundles=bundles,
            latest=latest,
            findings=[(f, accepted.get(f.value)) for f in latest.findings.all()] if latest else [],
            terms=review.confidential_terms.all(),
            written={t.kind: t for t in review.report_texts.all()},
            may_build_draft=workflow.may(workflow.guard_bundle, review, user, final=False),
            may_build_final=workflow.may(workflow.guard_bundle, review, user, final=True),
            may_accept=workflow.may(workflow.guard_accept, review, user),
            may_change_terms=workflow.may(workflow.guard_terms, review, user),
            may_write=workflow.may(workflow.guard_report_text, review, user),
            term_form=TermForm(),
            active_tab="qa",
        )
        return context


class BundleRequestView(LeadsMixin, View):
    def post(self, request, *args, **kwargs):
        self.leads_only()
        final = request.POST.get("final") == "1"
        try:
            bundle = services.bundle_request(review=self.review, by=request.user, final=final)
        except workflow.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except workflow.TransitionError as error:
            raise StageClosed(str(error)) from error
        messages.success(request, f"{bundle} is being built")
        return redirect(reverse("qa_feedback:bundles", args=[self.review.pk]))


class BundleStatusView(LeadsMixin, View):
    """How far a build has got, for the page to show while it waits."""

    def get(self, request, *args, **kwargs):
        self.leads_only()
        bundle = selectors.bundle_get(review=self.review, pk=kwargs["bundle_pk"])
        return JsonResponse(
            {
                "state": bundle.state,
                "label": bundle.get_state_display(),
                "progress": bundle.progress,
                "step": bundle.step,
                "finished": bundle.is_finished,
            }
        )


class BundleDownloadView(LeadsMixin, View):
    def get(self, request, *args, **kwargs):
        self.leads_only()
        bundle = selectors.bundle_get(review=self.review, pk=kwargs["bundle_pk"])
        if bundle.state != bundle.State.DONE or not bundle.file:
            raise Http404("This version was not built, or was removed.")
        return audited_download(
            request,
            content=bundle.file.open("rb"),
            filename=bundle.filename,
            content_type="application/pdf",
            object_type="publication_bundle",
            object_id=bundle.pk,
            detail=f"{self.review.reference}: {bundle}",
            review_id=self.review.pk,
        )


class FindingAcceptView(ReviewFormView):
    form_class = AcceptFindingForm
    template_name = "qa_feedback/finding_accept.html"
    role = Role.CHAIR
    title = "Accept an anonymity finding"

    @cached_property
    def finding(self):
        return get_object_or_404(
            AnonymityFinding.objects.select_related("bundle"),
            bundle__review=self.review,
            pk=self.kwargs["finding_pk"],
        )

    def check_access(self):
        self.finding  # noqa: B018 - a finding of another review is a 404 first
        _checked(workflow.guard_accept, self.review, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review_selectors.confidential_view_record(user=self.request.user, review=self.review)
        context["finding"] = self.finding
        return context

    def perform(self, form):
        services.finding_accept(
            finding=self.finding, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return "Accepted: the next final PDF may keep it"

    def get_success_url(self):
        return reverse("qa_feedback:bundles", args=[self.review.pk])


class TermAddView(ReviewFormView):
    form_class = TermForm
    title = "Add to the anonymity check"
    intro = (
        "The check already looks for the victim's and perpetrator's real names and dates of "
        "birth and the date of death. Add anything else the published report must not name."
    )

    def check_access(self):
        _checked(workflow.guard_terms, self.review, self.request.user)

    def perform(self, form):
        services.term_add(review=self.review, by=self.request.user, **form.cleaned_data)
        return "Added to the anonymity check"

    def get_success_url(self):
        return reverse("qa_feedback:bundles", args=[self.review.pk]) + "#terms"


class TermRemoveView(ReviewMixin, View):
    def post(self, request, *args, **kwargs):
        term = get_object_or_404(self.review.confidential_terms, pk=kwargs["term_pk"])
        _checked(workflow.guard_terms, self.review, request.user)
        services.term_remove(term=term, by=request.user)
        messages.success(request, "Removed from the anonymity check")
        return redirect(reverse("qa_feedback:bundles", args=[self.review.pk]) + "#terms")


class ReportTextView(ReviewFormView):
    """The executive summary or overview report written in the app instead of uploaded."""

    form_class = ReportTextForm
    template_name = "qa_feedback/report_text.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in ReportVersion.Kind.values:
            raise Http404
        self.kind = ReportVersion.Kind(kwargs["kind"])
        self.title = f"Write the {self.kind.label.lower()}"
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        _checked(workflow.guard_report_text, self.review, self.request.user)

    def get_initial(self):
        written = self.review.report_texts.filter(kind=self.kind).first()
        return {"text": written.text if written else ""}

    def perform(self, form):
        written = services.report_text_save(
            review=self.review, by=self.request.user, kind=self.kind, text=form.cleaned_data["text"]
        )
        if written is None:
            return f"The uploaded {self.kind.label.lower()} will be used"
        return f"{self.kind.label} saved"

    def get_success_url(self):
        return reverse("qa_feedback:bundles", args=[self.review.pk])

"""Recording the answers a QA letter gives to the review's national recommendations: the
letter's answers read from its text (`qa_feedback.national_answers`), each matched by the
coordinator to the recommendations it answers, recorded as the national body's reply."""

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from dhr.errors import allowed, guarded
from qa_feedback import selectors, workflow
from qa_feedback.forms import NationalAnswersForm
from qa_feedback.national_answers import national_answers
from recommendations import services as plan_services
from recommendations import workflow as plan_workflow
from recommendations.models import Scope
from reviews.pages import ReviewFormView


def national_recommendations(review):
    return list(review.recommendations.filter(scope=Scope.NATIONAL).order_by("number"))


def national_answers_offered(review, letter, user) -> int:
    """How many answers to national recommendations the letter gives that the user could record
    now (0: nothing to offer)."""
    if not allowed(plan_workflow.guard_plan_edit, review, user):
        return 0
    if not review.recommendations.filter(scope=Scope.NATIONAL).exists():
        return 0
    return len(national_answers(letter.full_text))


class NationalAnswersView(ReviewFormView):
    form_class = NationalAnswersForm
    template_name = "qa_feedback/national_answers.html"
    title = "Record the letter's answers to national recommendations"

    def load(self):
        super().load()
        self.letter = selectors.letter_get(review=self.review, pk=self.kwargs["letter_pk"])
        if workflow.being_checked(self.letter):
            raise Http404("This letter is still being checked.")

    @cached_property
    def answers(self):
        return national_answers(self.letter.full_text)

    @cached_property
    def recommendations(self):
        return national_recommendations(self.review)

    def check_submit(self):
        guarded(plan_workflow.guard_plan_edit, self.review, self.request.user)
        if not self.answers or not self.recommendations:
            raise Http404("The letter gives no answers to national recommendations.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(answers=self.answers, recommendations=self.recommendations)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            letter=self.letter,
            replied_on=self._replied_on(),
            back_url=reverse("qa_feedback:letter", args=[self.review.pk, self.letter.pk]),
        )
        return context

    def _replied_on(self):
        return self.letter.letter_date or self.letter.received_on

    def perform(self, form):
        replied_on = self._replied_on()
        source = f"Home Office QA letter of {replied_on:%-d %B %Y}"
        saved = plan_services.national_answers_record(
            review=self.review,
            by=self.request.user,
            answers=form.matched(),
            replied_on=replied_on,
            source=source,
        )
        count = len(saved)
        return f"The letter's answers recorded against {count} national recommendation" + (
            "s" if count != 1 else ""
        )

    def get_success_url(self):
        return reverse("recommendations:plan", args=[self.review.pk])

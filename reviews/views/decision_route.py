"""The decision's route onwards: telling the Home Office (checking the notification template's
fields first, and keeping them as sent), the QA panel's view on a decision not to hold a
review, a Secretary of State's direction, and telling the children's safeguarding partners."""

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from dhr.errors import guarded
from reviews import clocks, decision_forms, decision_route, forms, selectors, services, workflow
from reviews.pages import LeadsMixin, ReviewFormView


class HomeOfficeToldView(ReviewFormView):
    """Check your answers, then confirm: the template's fields filled from the review, what is
    missing named, and the date it went; what was sent is kept with the record."""

    edits_review = True
    form_class = forms.HomeOfficeToldForm
    template_name = "reviews/home_office_told.html"
    stage = "home_office_notice"
    title = "Tell the Home Office of the decision"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = "to hold a review" if self.review.proceed else "not to hold a review"
        if self.review.reconsideration_asked_on:
            decision = f"fresh decision {decision}"
        else:
            decision = f"decision {decision}"
        fields = selectors.home_office_notice_fields(self.review)
        context.update(
            intro=(
                f"The Home Office is told of the {decision}, made on "
                f"{self.review.decided_on:%-d %B %Y}, by "
                f"{clocks.home_office_told_due(self.review):%-d %B %Y}. Check what the "
                "notification says, then record the date it was sent."
            ),
            fields=fields,
            missing=[f for f in fields if f.missing],
            # The date of death is on the notification: showing it here is an audited read.
            show_confidential=services.confidential_view_record(
                user=self.request.user, review=self.review
            ),
            notices=selectors.review_home_office_notices(self.review),
        )
        return context

    def get_initial(self):
        return {"told_on": self.review.home_office_told_on}

    def perform(self, form):
        services.review_record_home_office_told(
            review=self.review, by=self.request.user, told_on=form.cleaned_data["told_on"]
        )
        return "Date the Home Office was told saved, with what it was sent"


class HomeOfficeNoticeView(LeadsMixin, TemplateView):
    """What the Home Office was sent, as it was sent (the partnership's coordinators and chairs:
    it holds the date of death, so reading it is audited)."""

    template_name = "reviews/home_office_notice.html"

    def load(self):
        super().load()
        notices = selectors.review_home_office_notices(self.review)
        self.notice = next((n for n in notices if n.pk == self.kwargs["notice_pk"]), None)
        if self.notice is None:
            raise Http404("No such notice")
        self.other_notices = [n for n in notices if n is not self.notice]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.confidential_view_record(user=self.request.user, review=self.review)
        context.update(
            notice=self.notice,
            back_url=self.review.get_absolute_url(),
            # With a fresh decision there are two notices: each says which decision it told.
            reconsidered=self.notice.reconsidered,
            other_notices=self.other_notices,
        )
        return context


class DecisionQAViewView(ReviewFormView):
    """The coordinator records the Home Office QA panel's letter on a decision not to hold a
    review: it agrees, or asks the partnership to reconsider (the chair decides afresh)."""

    edits_review = True
    form_class = decision_forms.DecisionQAViewForm
    title = "Record the Home Office QA panel's view"
    intro = (
        "The Home Office may refer a decision not to hold a review to its Quality Assurance "
        "panel. Record what the panel's letter says. If it asks the partnership to reconsider, "
        "the review goes back to the CSP chair for a fresh decision."
    )

    def check_submit(self):
        super().check_submit()
        guarded(workflow.check_state, self.review, "qa_panel_agrees")

    def perform(self, form):
        data = form.cleaned_data
        qa_view = decision_route.review_record_decision_qa_view(
            review=self.review,
            by=self.request.user,
            view=data["view"],
            received_on=data["received_on"],
            comment=data["comment"],
        )
        if qa_view.view == qa_view.View.RECONSIDER:
            return "Panel's view recorded: the decision is back with the CSP chair"
        return "Panel's view recorded"


class DirectionView(ReviewFormView):
    """The coordinator records the Secretary of State's direction to hold a review: the same
    review opens, its clocks running from the direction."""

    edits_review = True
    form_class = decision_forms.DirectionForm
    title = "Record a Secretary of State's direction"
    intro = (
        "The Secretary of State can direct a partnership to hold a review it decided not to "
        "hold. This review then opens at the 'Proceeding' stage, and its dates (the overview "
        "report's six months and the rest) run from the date of the direction."
    )

    def check_submit(self):
        super().check_submit()
        guarded(workflow.check_state, self.review, "direct_review")

    def perform(self, form):
        decision_route.review_record_direction(
            review=self.review,
            by=self.request.user,
            directed_on=form.cleaned_data["directed_on"],
            notes=form.cleaned_data["notes"],
        )
        return "Direction recorded: the review is open"


class SafeguardingToldView(ReviewFormView):
    edits_review = True
    form_class = decision_forms.SafeguardingToldForm
    stage = "safeguarding_notice"
    title = "Record when the children's safeguarding partners were told"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        due = clocks.safeguarding_notice_due(self.review)
        context["intro"] = (
            "In every case the children's safeguarding partners (the former Local "
            "Safeguarding Children Board) are told of the review"
            + (f", by {due:%-d %B %Y}." if due else ".")
        )
        return context

    def get_initial(self):
        return {"told_on": self.review.safeguarding_told_on or timezone.localdate()}

    def perform(self, form):
        decision_route.review_record_safeguarding_told(
            review=self.review, by=self.request.user, told_on=form.cleaned_data["told_on"]
        )
        return "Date the safeguarding partners were told saved"

"""The review's action plan tab: the plan, its exports, the forms that change it, and the
coordinator accepting or returning an agency's update."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from dhr.downloads import audited_download
from dhr.errors import allowed, guarded
from dhr.pages import GuardedView, ServiceFormMixin
from dhr.permissions import may_record
from recommendations import (
    exports,
    forms,
    selectors,
    services,
    workflow,
)
from recommendations.models import Action, Recommendation
from reviews.pages import ReviewMixin


class ActionPlanView(ReviewMixin, TemplateView):
    template_name = "recommendations/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        plan = selectors.action_plan(review=self.review, today=today)
        context.update(
            plan=plan,
            last_updated=selectors.plan_last_updated(review=self.review, plan=plan),
            may_edit=allowed(workflow.guard_plan_edit, self.review, self.request.user),
            may_review=may_record(self.request.user, self.review.partnership_id),
            active_tab="action_plan",
        )
        return context


class ActionPlanExportView(ReviewMixin, View):
    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in ("csv", "xlsx"):
            raise Http404
        now = timezone.localtime()
        plan = selectors.action_plan(review=self.review, today=now.date())
        if fmt == "csv":
            content = exports.plan_csv(self.review, plan, generated=now)
            content_type = "text/csv; charset=utf-8"
        else:
            content = exports.plan_xlsx(self.review, plan, generated=now)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return audited_download(
            request,
            content=content,
            filename=f"action-plan-{self.review.reference}-OFFICIAL-SENSITIVE.{fmt}",
            content_type=content_type,
            object_type="action_plan",
            object_id=self.review.pk,
            detail=f"{self.review.reference}: action plan ({fmt})",
            review_id=self.review.pk,
        )


class PlanFormView(ServiceFormMixin, ReviewMixin, FormView):
    """A form that changes the plan: coordinators only, while the plan may change."""

    template_name = "reviews/form.html"
    title = ""

    def check_access(self):
        super().check_access()
        guarded(workflow.guard_plan_edit, self.review, self.request.user)

    def get_success_url(self):
        return reverse("recommendations:plan", args=[self.review.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, back_url=self.get_success_url())
        return context


class RecommendationFormView(PlanFormView):
    form_class = forms.RecommendationForm

    def get_recommendation(self) -> Recommendation | None:
        if "recommendation_pk" not in self.kwargs:
            return None
        return get_object_or_404(self.review.recommendations, pk=self.kwargs["recommendation_pk"])

    def versioned(self):
        return self.get_recommendation()

    def get_initial(self):
        recommendation = self.get_recommendation()
        if recommendation is None:
            return {"scope": "local"}
        return {
            "text": recommendation.text,
            "scope": recommendation.scope,
            "lead_agency": recommendation.lead_agency,
            "addressee": recommendation.addressee,
            "addressee_other": recommendation.addressee_other,
            "sent_to_body_on": recommendation.sent_to_body_on,
            "themes": list(recommendation.themes.all()),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recommendation = self.get_recommendation()
        context["title"] = str(recommendation) if recommendation else "Add a recommendation"
        if recommendation and recommendation.is_national and not recommendation.addressee:
            context["intro"] = (
                "This national recommendation was recorded before the service asked which "
                "national body it is addressed to: select the body below."
            )
        return context

    def perform(self, form):
        recommendation = services.recommendation_save(
            review=self.review,
            by=self.request.user,
            data=form.cleaned_data,
            recommendation=self.get_recommendation(),
        )
        return f"{recommendation} saved"


class ActionFormView(PlanFormView):
    form_class = forms.ActionForm

    def get_recommendation(self) -> Recommendation:
        return get_object_or_404(self.review.recommendations, pk=self.kwargs["recommendation_pk"])

    def get_action(self) -> Action | None:
        if "action_pk" not in self.kwargs:
            return None
        return get_object_or_404(
            Action, recommendation=self.get_recommendation(), pk=self.kwargs["action_pk"]
        )

    def versioned(self):
        return self.get_action()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.review.partnership}

    def get_initial(self):
        action = self.get_action()
        if action is None:
            return {"owner_agency": self.get_recommendation().lead_agency}
        return {name: getattr(action, name) for name in services.ACTION_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recommendation = self.get_recommendation()
        context["title"] = "Change the action" if self.get_action() else "Add an action"
        context["intro"] = f"{recommendation}: {recommendation.text}"
        return context

    def perform(self, form):
        action = services.action_save(
            recommendation=self.get_recommendation(),
            by=self.request.user,
            data=form.cleaned_data,
            action=self.get_action(),
        )
        return f"Action for {action.owner_agency} saved"


class UpdateReviewView(ServiceFormMixin, GuardedView, FormView):
    """A coordinator accepts an update (the action takes its status) or returns it."""

    form_class = forms.UpdateReviewForm
    template_name = "recommendations/update_review.html"

    def load(self):
        super().load()
        self.update = selectors.update_get(user=self.request.user, pk=self.kwargs["update_pk"])
        self.action = self.update.action
        self.review = self.action.recommendation.review

    def check_access(self):
        super().check_access()
        # Either answer may be open: an update on an action closed since may still be returned
        # (accepting it is refused on the form, saying so).
        guarded(workflow.guard_update_review, self.update, self.request.user, "return")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            update=self.update,
            action=self.action,
            review=self.review,
            title="Accept or return the update",
            back_url=reverse("recommendations:plan", args=[self.review.pk]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:plan", args=[self.review.pk])

    def perform(self, form):
        if form.cleaned_data["accept"]:
            services.action_update_accept(update=self.update, by=self.request.user)
            return "Update accepted: the action plan shows it"
        services.action_update_return(
            update=self.update, by=self.request.user, comment=form.cleaned_data["comment"]
        )
        return "Update returned to the agency"

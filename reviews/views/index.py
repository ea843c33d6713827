"""The list of reviews a user may know of, and recording a new notification."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from dhr.pages import GuardedView
from reviews import forms, selectors, services
from reviews.filters import ReviewFilter


class ReviewListView(GuardedView, TemplateView):
    template_name = "reviews/list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = selectors.review_list(user=self.request.user)
        review_filter = ReviewFilter(self.request.GET or None, queryset=queryset)
        results = review_filter.qs if review_filter.is_bound else queryset
        page = Paginator(results, self.paginate_by).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=review_filter,
            page=page,
            rows=selectors.list_deadlines(list(page.object_list), today),
            query=query.urlencode(),
            may_notify=selectors.may_record_notifications(self.request.user),
            show_partnership=selectors.review_list_spans_partnerships(self.request.user),
        )
        return context


class ReviewCreateView(GuardedView, FormView):
    template_name = "reviews/form.html"
    form_class = forms.NotificationCreateForm

    def load(self):
        super().load()
        self.partnerships = selectors.partnerships_recording_for(self.request.user)

    def check_access(self):
        super().check_access()
        if not self.partnerships.exists():
            raise PermissionDenied("Only a coordinator can record a notification.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnerships": self.partnerships}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Record a police notification",
            intro="Record the notification as soon as the police tell you of a death. "
            "The decision on whether to hold a review is due one calendar month after "
            "the date the notification was received.",
            back_url=reverse("reviews:list"),
        )
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        partnership = data.pop("partnership")
        review = services.review_notify(partnership=partnership, by=self.request.user, data=data)
        messages.success(self.request, f"Notification recorded as {review.public_title}")
        return redirect(review)

"""The review's timeline tab: every date, done, due or overdue, with the clocks explained."""

from django.utils import timezone
from django.views.generic import TemplateView

from reviews import clocks, selectors
from reviews.pages import ReviewMixin


class ReviewTimelineView(ReviewMixin, TemplateView):
    template_name = "reviews/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        timeline = selectors.review_timeline(self.review, today)
        context.update(
            entries=timeline.entries,
            report_clock=timeline.report_clock,
            rules=clocks.rules_for(self.review),
            today=today,
            active_tab="timeline",
        )
        return context

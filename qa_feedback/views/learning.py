"""What a partnership's QA letters say, across its reviews."""

from django.views.generic import TemplateView

from dhr.pages import PartnershipMixin
from qa_feedback import selectors


class LearningView(PartnershipMixin, TemplateView):
    """Across a partnership's letters, how often each kind of point comes up."""

    template_name = "qa_feedback/learning.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total, table, examples = selectors.learning(self.partnership)
        context.update(total=total, table=table, examples=examples)
        return context

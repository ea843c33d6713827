"""A partnership's settings: how its deadlines are chased."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.generic import FormView

from dhr.pages import PartnershipMixin, ServiceFormMixin
from dhr.permissions import may_record
from reviews import clocks, forms, services


class PartnershipSettingsView(PartnershipMixin, ServiceFormMixin, FormView):
    """How a partnership's deadlines are chased: its coordinators change it, chairs read it."""

    def versioned(self):
        return self.partnership

    form_class = forms.PartnershipSettingsForm
    template_name = "reviews/settings.html"
    refusal = "Only a coordinator can change the partnership's settings."

    def check_access(self):
        super().check_access()
        self.may_submit = may_record(self.request.user, self.partnership.pk)
        if self.request.method == "POST" and not self.may_submit:
            raise PermissionDenied(self.refusal)

    def get_initial(self):
        return {
            name: getattr(self.partnership, name) for name in services.PARTNERSHIP_SETTINGS_FIELDS
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            partnership=self.partnership,
            guidance=clocks.RULES.get(self.partnership.guidance_version),
            may_submit=self.may_submit,
            title=f"Settings: {self.partnership.name}",
            back_url=reverse("dashboard"),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:settings", args=[self.partnership.slug])

    def perform(self, form):
        services.partnership_update_settings(
            partnership=self.partnership, by=self.request.user, data=form.cleaned_data
        )
        return "Settings saved"

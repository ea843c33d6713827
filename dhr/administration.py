"""The administrator's pages in the service (not the Django admin): the scheduled runs' last
results, and people, where a lost phone is dealt with by resetting two-factor sign-in.
Administrators only: anyone else gets a 404, as for anything they may not know of."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from dhr import two_factor
from dhr.forms import PartnershipCreateForm, PersonSearchForm, TwoFactorResetForm
from dhr.models import AuditEvent, Partnership, ScheduledRun, User
from dhr.pages import GuardedView
from dhr.partnerships import partnership_create_from
from dhr.permissions import is_admin

PAGE_SIZE = 50


class AdministratorOnly(GuardedView):
    """The administrator's pages: a 404 for everyone else, as if they did not exist."""

    def load(self):
        super().load()
        if not is_admin(self.request.user):
            raise Http404


class AdministrationView(AdministratorOnly, TemplateView):
    template_name = "dhr/administration.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "retention": ScheduledRun.objects.filter(job=ScheduledRun.RETENTION).first(),
            "people_count": User.objects.filter(is_active=True).count(),
            "partnerships": Partnership.objects.order_by("name"),
        }


class PartnershipCreateView(AdministratorOnly, FormView):
    """The first partnership (and every one after): it, its coordinator and chair, invited."""

    template_name = "dhr/partnership_create.html"
    form_class = PartnershipCreateForm

    def form_valid(self, form):
        partnership = partnership_create_from(form.cleaned_data, by=self.request.user)
        messages.success(
            self.request,
            f"{partnership.name} added: its coordinator and CSP chair have been emailed an "
            "invitation to choose their password",
        )
        return redirect("administration")


class PeopleView(AdministratorOnly, TemplateView):
    template_name = "dhr/people.html"

    def get_context_data(self, **kwargs):
        form = PersonSearchForm(self.request.GET or None)
        people = User.objects.order_by("name", "email")
        query = ""
        if form.is_valid() and form.cleaned_data["q"].strip():
            query = form.cleaned_data["q"].strip()
            people = people.filter(Q(name__icontains=query) | Q(email__icontains=query))
        page = Paginator(people, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "page": page,
            "query": f"q={query}" if query else "",
        }


class PersonMixin(AdministratorOnly):
    def load(self):
        super().load()
        self.person = get_object_or_404(User, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        person = self.person
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "memberships": person.memberships.select_related("partnership"),
            "agencies": person.agency_contacts.select_related("agency").prefetch_related(
                "partnerships"
            ),
            "app": two_factor.device_of(person),
            "recovery_codes_left": two_factor.recovery_codes_left(person),
            "required": two_factor.required_for(person),
            "resets": AuditEvent.objects.filter(
                kind=AuditEvent.Kind.TWO_FACTOR_RESET, object_type="user", object_id=person.pk
            ).select_related("user")[:10],
        }


class PersonView(PersonMixin, TemplateView):
    template_name = "dhr/person.html"


class TwoFactorResetView(PersonMixin, FormView):
    template_name = "dhr/two_factor_reset.html"
    form_class = TwoFactorResetForm

    def form_valid(self, form):
        two_factor.two_factor_reset(
            user=self.person, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            self.request,
            f"Two-factor sign-in reset for {self.person}: they set up a new app when they next "
            "sign in",
        )
        return redirect("person", pk=self.person.pk)

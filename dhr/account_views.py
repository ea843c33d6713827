"""Two-factor sign-in pages and the user's own account page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from dhr import two_factor
from dhr.forms import CodeForm


def _next(request) -> str:
    """Where to go once verified: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("dashboard")


class CodeFormView(LoginRequiredMixin, FormView):
    form_class = CodeForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _next(self.request)}

    def form_valid(self, form):
        problem = two_factor.verify(self.request, self.device, form.cleaned_data["code"])
        if problem:
            form.add_error("code", problem)
            return self.form_invalid(form)
        if self.done_message:
            messages.success(self.request, self.done_message)
        return redirect(_next(self.request))


class TwoFactorVerifyView(CodeFormView):
    """After the password: the code from the user's app."""

    template_name = "account/two_factor_verify.html"
    done_message = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.device = two_factor.device_of(request.user)
        if self.device is None:
            return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
        if request.user.is_verified():
            return redirect(_next(request))
        return super().dispatch(request, *args, **kwargs)


class TwoFactorSetupView(CodeFormView):
    """Setting up an authenticator app: scan the code (or type the secret), then enter a code
    from the app to show it works."""

    template_name = "account/two_factor_setup.html"
    done_message = "Two-factor sign-in is set up: you will be asked for a code each time"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if two_factor.device_of(request.user) is not None:
            return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
        self.device = two_factor.device_being_set_up(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "qr": two_factor.qr_svg(self.device),
            "secret": two_factor.secret_for_typing(self.device),
            "required": two_factor.required_for(self.request.user),
            "issuer": two_factor.issuer(),
        }


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "account/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "device": two_factor.device_of(user),
            "required": two_factor.required_for(user),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        }

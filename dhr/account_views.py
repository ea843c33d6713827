"""Two-factor sign-in pages and the user's own account page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import FormView, TemplateView, View

from dhr import two_factor
from dhr.forms import CodeForm, DigestForm, RecoveryCodeForm
from dhr.pages import ours
from dhr.password_reset import password_reset_allow

# The recovery codes just made, kept in the session only until the page showing them is read.
NEW_CODES = "dhr_new_recovery_codes"


def _next(request) -> str:
    """Where to go once verified: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return ours(request, target, default=reverse("dashboard"))


class CodeFormView(LoginRequiredMixin, FormView):
    form_class = CodeForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _next(self.request)}

    def form_valid(self, form):
        try:
            problem = two_factor.verify(self.request, self.device, form.cleaned_data["code"])
        except two_factor.Locked:
            return locked_out(self.request)
        if problem:
            form.add_error("code", problem)
            return self.form_invalid(form)
        return self.verified()

    def verified(self):
        return redirect(_next(self.request))


def locked_out(request):
    """Too many wrong codes: signed out, with the lockout's own page (as for passwords)."""
    logout(request)
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "account/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def _show_codes(request, codes: list[str]):
    request.session[NEW_CODES] = codes
    return redirect(f"{reverse('recovery_codes')}?{urlencode({'next': _next(request)})}")


class TwoFactorVerifyView(CodeFormView):
    """After the password: the code from the user's app."""

    template_name = "account/two_factor_verify.html"

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

    def verified(self):
        messages.success(
            self.request, "Two-factor sign-in is set up: you will be asked for a code each time"
        )
        return _show_codes(self.request, two_factor.recovery_codes_make(self.request.user))

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


class TwoFactorRecoveryView(CodeFormView):
    """After the password, without the phone: one of the recovery codes, used up as it is."""

    template_name = "account/two_factor_recovery.html"
    form_class = RecoveryCodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.is_verified():
            return redirect(_next(request))
        if two_factor.device_of(request.user) is None:
            return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
        self.device = two_factor.recovery_device(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "has_codes": self.device is not None}

    def form_valid(self, form):
        if self.device is None:
            form.add_error("code", "You have no recovery codes: ask your administrator")
            return self.form_invalid(form)
        return super().form_valid(form)

    def verified(self):
        left = two_factor.recovery_codes_left(self.request.user)
        messages.warning(
            self.request,
            f"You signed in with a recovery code. You have {left} left: if you have lost your "
            "phone, ask your administrator to reset your two-factor sign-in, or make new "
            "codes on your account page.",
        )
        return super().verified()


class RecoveryCodesView(LoginRequiredMixin, TemplateView):
    """The new recovery codes, shown once: they leave the session as the page is made."""

    template_name = "account/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(NEW_CODES, None)
        if not codes:
            return redirect("account")
        return self.render_to_response({"codes": codes, "next": _next(request)})


class RecoveryCodesNewView(LoginRequiredMixin, View):
    """New recovery codes in place of the old ones (from the account page)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if two_factor.device_of(request.user) is None:
            return redirect("account")
        return _show_codes(request, two_factor.recovery_codes_make(request.user))


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "account/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "recovery_codes_left": two_factor.recovery_codes_left(user),
            "device": two_factor.device_of(user),
            "required": two_factor.required_for(user),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        }


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, limited in how often a link may be asked for."""

    def form_valid(self, form):
        problem = password_reset_allow(request=self.request, email=form.cleaned_data["email"])
        if problem:
            form.add_error("email", problem)
            return self.form_invalid(form)
        return super().form_valid(form)


class KeepAliveView(LoginRequiredMixin, View):
    """ "Stay signed in" in the timeout warning: a request, which moves the idle limit on (the
    session is saved on every request), and nothing to show."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return HttpResponse(status=204)


class DigestSettingView(LoginRequiredMixin, FormView):
    """The person's choice of the morning email (`reviews.digest`)."""

    template_name = "account/digest.html"
    form_class = DigestForm

    def get_initial(self):
        return {"on": "yes" if self.request.user.morning_digest else "no"}

    def form_valid(self, form):
        on = form.cleaned_data["on"]
        self.request.user.morning_digest = on
        self.request.user.save(update_fields=["morning_digest"])
        messages.success(
            self.request,
            "You will get the morning email" if on else "You will not get the morning email",
        )
        return redirect("account")

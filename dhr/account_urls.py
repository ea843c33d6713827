from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from dhr.account_views import (
    AccountView,
    DigestSettingView,
    KeepAliveView,
    PasswordResetView,
    RecoveryCodesNewView,
    RecoveryCodesView,
    TwoFactorRecoveryView,
    TwoFactorSetupView,
    TwoFactorVerifyView,
)
from dhr.forms import NewPasswordForm, ResetForm, SignInForm

urlpatterns = [
    path("", AccountView.as_view(), name="account"),
    path("two-factor/", TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/set-up/", TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/recovery/", TwoFactorRecoveryView.as_view(), name="two_factor_recovery"),
    path("recovery-codes/", RecoveryCodesView.as_view(), name="recovery_codes"),
    path("recovery-codes/new/", RecoveryCodesNewView.as_view(), name="recovery_codes_new"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="account/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("keep-alive/", KeepAliveView.as_view(), name="keep_alive"),
    path("morning-email/", DigestSettingView.as_view(), name="digest_setting"),
    path(
        "password-reset/",
        PasswordResetView.as_view(
            template_name="account/password_reset.html",
            form_class=ResetForm,
            email_template_name="account/email/password_reset.txt",
            html_email_template_name="account/email/password_reset.html",
            subject_template_name="account/email/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="account/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="account/password_reset_confirm.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="account/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

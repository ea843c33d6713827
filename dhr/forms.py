"""The forms of the service's own pages (signing in, passwords, two-factor sign-in, the
administrator's pages), laid out with the GOV.UK Design System."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from dhr import govuk_forms
from dhr.models import Partnership
from dhr.sign_in import email_key


class _Gov:
    """The layout every form here shares: no <form> tag (the template has it), small labels.
    Forms of their own call it from __init__; Django's forms through `_layout()`."""

    def _layout(self):
        self.helper = govuk_forms.helper(legends=False)


class _GovForm(_Gov, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._layout()


class SignInForm(_Gov, AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off: ask your coordinator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email"})
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # Whatever was typed is an ordinary wrong sign-in, counted by the lockout: the user
        # lookup and the lockout both take any text (dhr.sign_in), so no field rule answers
        # first with another message.
        for name in ("username", "password"):
            self.fields[name].validators = []
        self._layout()


class ResetForm(_Gov, PasswordResetForm):
    submit_label = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self._layout()


class NewPasswordForm(_Gov, SetPasswordForm):
    submit_label = "Set password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm the new password"
        self._layout()


class CodeForm(_GovForm):
    """A code from the user's authenticator app."""

    submit_label = "Continue"

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now",
        max_length=10,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )


class RecoveryCodeForm(CodeForm):
    """One of the user's recovery codes, typed with or without its space."""

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you saved when you set up two-factor sign-in, like abcd 2345",
        max_length=20,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )


class TwoFactorResetForm(_GovForm):
    """An administrator's reason for resetting someone's two-factor sign-in (kept in the audit
    log)."""

    submit_label = "Reset two-factor sign-in"

    reason = forms.CharField(
        label="Why are you resetting it?",
        help_text="For example: lost phone, reported by phone call on 3 December",
        max_length=250,
        error_messages={
            "required": "Enter why you are resetting their two-factor sign-in",
            "max_length": "The reason must be 250 characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I have checked this request really comes from this person",
        error_messages={"required": "Confirm you have checked the request comes from them"},
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Name or email address", max_length=254, required=False)


class PartnershipCreateForm(_GovForm):
    """A new partnership and the two people who lead it in the service."""

    submit_label = "Add the partnership"

    name = forms.CharField(
        label="Partnership name",
        help_text="For example: Northvale Community Safety Partnership",
        max_length=200,
        error_messages={"required": "Enter the partnership's name"},
    )
    area = forms.CharField(
        label="Council area it serves",
        max_length=200,
        error_messages={"required": "Enter the council area the partnership serves"},
    )
    coordinator_name = forms.CharField(
        label="Coordinator's full name",
        max_length=150,
        error_messages={"required": "Enter the coordinator's full name"},
    )
    coordinator_email = forms.EmailField(
        label="Coordinator's email address",
        max_length=254,
        error_messages={
            "required": "Enter the coordinator's email address",
            "invalid": "Enter the coordinator's email address in the correct format, like "
            "name@example.org",
        },
    )
    chair_name = forms.CharField(
        label="CSP chair's full name",
        max_length=150,
        error_messages={"required": "Enter the CSP chair's full name"},
    )
    chair_email = forms.EmailField(
        label="CSP chair's email address",
        max_length=254,
        error_messages={
            "required": "Enter the CSP chair's email address",
            "invalid": "Enter the CSP chair's email address in the correct format, like "
            "name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = (
                f"{field.label} must be {field.max_length} characters or fewer"
            )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Partnership.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("A partnership with this name already exists")
        return name

    def clean(self):
        cleaned = super().clean()
        coordinator, chair = cleaned.get("coordinator_email"), cleaned.get("chair_email")
        if coordinator and chair and email_key(coordinator) == email_key(chair):
            self.add_error(
                "chair_email", "The CSP chair must be someone other than the coordinator"
            )
        return cleaned


class DigestForm(_GovForm):
    """Whether the morning email of what is waiting comes (`reviews.digest`)."""

    submit_label = "Save"

    on = govuk_forms.yes_or_no(
        label="Email me each morning what is waiting for me",
        yes="Yes, when something is waiting for me",
        no="No, I will look at my dashboard",
        required="Select whether you want the morning email",
    )

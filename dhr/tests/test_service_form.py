"""How a form page shows a service's refusal (`dhr.pages.ServiceFormMixin`): a ValidationError
naming a field of the form is shown on that field, like the form's own; any other refusal, or
one naming something the form does not ask, is shown for the whole form."""

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory
from django.views.generic import FormView

from dhr.errors import TransitionError
from dhr.pages import ServiceFormMixin


class NameForm(forms.Form):
    name = forms.CharField()


class NamePage(ServiceFormMixin, FormView):
    form_class = NameForm
    template_name = "reviews/form.html"  # not rendered: the response is only inspected

    def perform(self, form):
        raise self.refusal


@pytest.mark.parametrize(
    ("refusal", "errors"),
    [
        (ValidationError({"name": "Enter a shorter name"}), {"name": ["Enter a shorter name"]}),
        (
            ValidationError({"name": ["Enter a name", "Enter it again"]}),
            {"name": ["Enter a name", "Enter it again"]},
        ),
        (
            ValidationError({"colour": "Choose a colour"}),
            {NON_FIELD_ERRORS: ["Choose a colour"]},
        ),
        (ValidationError("This cannot be saved"), {NON_FIELD_ERRORS: ["This cannot be saved"]}),
        (TransitionError("Not at this stage"), {NON_FIELD_ERRORS: ["Not at this stage"]}),
    ],
    ids=["on its field", "several on its field", "on a field not asked", "plain", "a rule"],
)
def test_a_refusal_is_shown_where_it_belongs(refusal, errors):
    page = NamePage()
    page.setup(RequestFactory().post("/", {"name": "Sam"}))
    page.refusal = refusal
    form = page.get_form()
    assert form.is_valid()
    response = page.form_valid(form)
    assert response.status_code == 200
    assert form.errors == errors
    assert form.data["name"] == "Sam"  # the input kept

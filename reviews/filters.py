"""The review list's filters: stage, year, overdue, and a search by reference or pseudonym."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from reviews import clocks
from reviews.models import Review, Status

DECISION_STAGES = [Status.NOTIFIED, Status.DECISION_PENDING]
REPORT_STAGES = [Status.PROCEEDING, Status.SET_UP, Status.AGENCY_REPORTS, Status.DRAFTING]


def overdue_q(today) -> Q:
    """Reviews past the statutory date they are working towards (decision or report)."""
    decision = clocks.overdue_before(today, clocks.RULES[clocks.CURRENT_VERSION].decision_months)
    report = clocks.overdue_before(today, clocks.RULES[clocks.CURRENT_VERSION].report_months)
    return Q(status__in=DECISION_STAGES, notified_on__lt=decision) | Q(
        status__in=REPORT_STAGES, proceed=True, decided_on__lt=report
    )


class ReviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Reference or pseudonym",
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    status = django_filters.ChoiceFilter(
        label="Stage",
        choices=Status.choices,
        empty_label="Any stage",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    year = django_filters.NumberFilter(
        label="Year notified",
        field_name="notified_on",
        lookup_expr="year",
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
        ),
    )
    overdue = django_filters.BooleanFilter(
        label="Only overdue reviews",
        method="filter_overdue",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    class Meta:
        model = Review
        fields = ["q", "status", "year", "overdue"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(victim_pseudonym__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(overdue_q(timezone.localdate()))

"""The review list's filters: stage, year, overdue, and a search by reference or pseudonym."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from reviews.deadlines import overdue_reviews
from reviews.models import Review, Status


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
        return overdue_reviews(queryset, timezone.localdate())

"""The dashboard at the site's root (the root URLconf includes it by name, so that the core
imports no app)."""

from django.urls import path

from reviews.views import dashboard

urlpatterns = [path("", dashboard.DashboardView.as_view(), name="dashboard")]

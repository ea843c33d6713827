from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from dhr import health, views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("reviews/", include("reviews.urls")),
    path("", include("recommendations.urls")),
    path("", include("qa_feedback.urls")),
    path("account/", include("dhr.account_urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("admin/", admin.site.urls),
    path("health/", health.web, name="health"),
    path("health/database/", health.database, name="health_database"),
    path("health/redis/", health.broker, name="health_redis"),
    path("health/worker/", health.worker, name="health_worker"),
]

handler403 = "dhr.views.permission_denied"
handler404 = "dhr.views.page_not_found"

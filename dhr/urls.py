from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from dhr import administration, health, job_views

urlpatterns = [
    path("", include("reviews.dashboard_urls")),
    path("reviews/", include("reviews.urls")),
    path("", include("recommendations.urls")),
    path("", include("qa_feedback.urls")),
    path("account/", include("dhr.account_urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("administration/", administration.AdministrationView.as_view(), name="administration"),
    path(
        "administration/partnerships/new/",
        administration.PartnershipCreateView.as_view(),
        name="partnership_create",
    ),
    path("administration/people/", administration.PeopleView.as_view(), name="people"),
    path("administration/people/<int:pk>/", administration.PersonView.as_view(), name="person"),
    path(
        "administration/people/<int:pk>/two-factor/reset/",
        administration.TwoFactorResetView.as_view(),
        name="two_factor_reset",
    ),
    path("files/<int:pk>/", job_views.FileJobView.as_view(), name="file_job"),
    path("files/<int:pk>/status/", job_views.FileJobStatusView.as_view(), name="file_job_status"),
    path(
        "files/<int:pk>/download/",
        job_views.FileJobDownloadView.as_view(),
        name="file_job_download",
    ),
    path("admin/", admin.site.urls),
    path("health/", health.web, name="health"),
    path("health/database/", health.database, name="health_database"),
    path("health/redis/", health.broker, name="health_redis"),
    path("health/worker/", health.worker, name="health_worker"),
]

handler403 = "dhr.views.permission_denied"
handler404 = "dhr.views.page_not_found"

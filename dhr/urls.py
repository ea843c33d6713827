from django.contrib import admin
from django.urls import include, path

from dhr import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("reviews/", include("reviews.urls")),
    path("", include("recommendations.urls")),
    path("", include("qa_feedback.urls")),
    path("account/", include("dhr.account_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "dhr.views.permission_denied"
handler404 = "dhr.views.page_not_found"

"""The real URLs plus one view that fails, to show the 500 page."""

from django.urls import path

from dhr.urls import handler403, handler404, urlpatterns


def fault(request):
    raise RuntimeError("a deliberate fault for the 500 page test")


urlpatterns = [*urlpatterns, path("fault/", fault)]
__all__ = ["handler403", "handler404", "urlpatterns"]

"""Open311 GeoReport v2 routes, included under open311/v2/. Each endpoint answers in XML or
JSON by its extension."""

from django.urls import path

from prosecution.open311 import views

app_name = "open311"

FORMATS = ("json", "xml")


def _both(route: str, view, name: str) -> list:
    return [path(f"{route}.{fmt}", view, {"fmt": fmt}, name=f"{name}_{fmt}") for fmt in FORMATS]


urlpatterns = [
    *_both("discovery", views.discovery_view, "open311_discovery"),
    *_both("services", views.service_list_view, "open311_services"),
    *_both("services/<slug:service_code>", views.service_definition_view, "open311_service_definition"),
    *_both("requests", views.request_list_view, "open311_requests"),
    *_both("requests/<str:service_request_id>", views.request_detail_view, "open311_request"),
    *_both("tokens/<str:token>", views.token_view, "open311_token"),
]

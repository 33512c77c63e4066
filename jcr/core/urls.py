from django.urls import path

from jcr.core import views, views_geocoding

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("about/accessibility/", views.accessibility_view, name="accessibility"),
    path("about/privacy/", views.privacy_view, name="privacy"),
    path("search/", views.search_view, name="search"),
    path("geocode/suggest/", views_geocoding.geocode_suggest_view, name="geocode_suggest"),
    path("staff/", views.dashboard_view, name="dashboard"),
]

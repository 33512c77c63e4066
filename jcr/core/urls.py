from django.urls import path

from jcr.core import views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("about/accessibility/", views.accessibility_view, name="accessibility"),
    path("about/privacy/", views.privacy_view, name="privacy"),
    path("search/", views.search_view, name="search"),
    path("staff/", views.dashboard_view, name="dashboard"),
]

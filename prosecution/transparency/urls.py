"""Transparency: the public dashboard and the open data.

No app_name: the unit's urls.py includes this module, so the names stay `prosecution:...`."""

from django.urls import path

from prosecution.transparency import views

urlpatterns = [
    path(
        "community-prosecution/dashboard/",
        views.transparency_dashboard_view,
        name="transparency",
    ),
    path(
        "community-prosecution/open-data/<slug:dataset>.<slug:fmt>",
        views.open_data_view,
        name="open_data",
    ),
]

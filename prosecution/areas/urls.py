"""The unit's landing page and the residents' pages of areas.

No app_name: the unit's urls.py includes this module, so the names stay `prosecution:...`."""

from django.urls import path

from prosecution.areas import views

urlpatterns = [
    path("community-prosecution/", views.landing_view, name="landing"),
    path("community-prosecution/my-prosecutor/", views.my_prosecutor_view, name="my_prosecutor"),
    path("community-prosecution/areas.geojson", views.areas_geojson_view, name="areas_geojson"),
    path("community-prosecution/areas/<slug:slug>/", views.area_detail_view, name="area_detail"),
]

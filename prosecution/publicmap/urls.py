"""The public map of concerns and its JSON endpoints.

No app_name: the unit's urls.py includes this module, so the names stay `prosecution:...`."""

from django.urls import path

from prosecution.publicmap import views

urlpatterns = [
    path("community-prosecution/map/", views.concern_map_view, name="concern_map"),
    path("community-prosecution/map/data.json", views.concern_map_data_view, name="concern_map_data"),
    path("community-prosecution/map/nearby.json", views.concern_nearby_view, name="concern_nearby"),
]

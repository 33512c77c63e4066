from django.urls import path

from prosecution import views

app_name = "prosecution"
urlpatterns = [
    path("community-prosecution/", views.landing_view, name="landing"),
    path("staff/community-prosecution/", views.staff_landing_view, name="staff_landing"),
]

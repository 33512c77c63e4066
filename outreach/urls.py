from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("outreach/", views.landing_view, name="landing"),
    path("staff/outreach/", views.staff_landing_view, name="staff_landing"),
]

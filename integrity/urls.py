from django.urls import path

from integrity import views

app_name = "integrity"
urlpatterns = [
    path("justice-training-integrity/", views.landing_view, name="landing"),
    path("staff/justice-training-integrity/", views.staff_landing_view, name="staff_landing"),
]

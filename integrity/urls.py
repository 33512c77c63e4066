from django.urls import include, path

from integrity import dashboard

app_name = "integrity"
urlpatterns = [
    path("justice-training-integrity/", dashboard.landing_view, name="landing"),
    path("staff/justice-training-integrity/", dashboard.staff_landing_view, name="staff_landing"),
    path("", include("integrity.policies.urls")),
    path("", include("integrity.publicrecords.urls")),
    path("", include("integrity.records.urls")),
    path("", include("integrity.training.urls")),
]

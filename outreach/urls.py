from django.urls import include, path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("outreach/", views.landing_view, name="landing"),
    path("staff/outreach/", views.staff_landing_view, name="staff_landing"),
]

urlpatterns += [
    path("", include("outreach.programs.urls")),
    path("", include("outreach.events.urls")),
    path("", include("outreach.dialogues.urls")),
]

urlpatterns += [
    path("", include("outreach.media.urls")),
    path("", include("outreach.social.urls")),
]

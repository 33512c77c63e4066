from django.urls import path

from prosecution import views, views_public

app_name = "prosecution"
urlpatterns = [
    path("community-prosecution/", views.landing_view, name="landing"),
    path("staff/community-prosecution/", views.staff_landing_view, name="staff_landing"),
    # Residents
    path("community-prosecution/report/", views_public.report_category_view, name="report"),
    path("community-prosecution/report/<slug:code>/", views_public.report_form_view, name="report_form"),
    path("community-prosecution/report/sent/<str:tracking_code>/", views_public.report_done_view, name="report_done"),
    path("community-prosecution/track/", views_public.concern_track_find_view, name="concern_track_find"),
    path("community-prosecution/track/<str:tracking_code>/", views_public.concern_track_view, name="concern_track"),
    path(
        "community-prosecution/track/<str:tracking_code>/add/",
        views_public.concern_add_info_view,
        name="concern_add_info",
    ),
    path(
        "community-prosecution/track/<str:tracking_code>/not-fixed/",
        views_public.concern_not_fixed_view,
        name="concern_not_fixed",
    ),
]

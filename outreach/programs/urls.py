"""URLs of the program catalogue and presentation requests (public and staff)."""

from django.urls import path

from outreach.programs import views, views_staff

# No app_name: included by outreach/urls.py, so the names stay `outreach:...`.
urlpatterns = [
    path("outreach/programs/", views.program_list_view, name="program_list"),
    path("outreach/programs/request/", views.presentation_request_view, name="presentation_request"),
    path(
        "outreach/programs/request/received/<str:reference>/",
        views.presentation_request_done_view,
        name="presentation_request_done",
    ),
    path("outreach/programs/<slug:slug>/", views.program_detail_view, name="program_detail"),
    path("staff/outreach/presentations/", views_staff.staff_presentation_list_view, name="staff_presentation_list"),
    path(
        "staff/outreach/presentations/<uuid:public_id>/",
        views_staff.staff_presentation_detail_view,
        name="staff_presentation_detail",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/schedule/",
        views_staff.staff_presentation_schedule_view,
        name="staff_presentation_schedule",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/deliver/",
        views_staff.staff_presentation_deliver_view,
        name="staff_presentation_deliver",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/decline/",
        views_staff.staff_presentation_decline_view,
        name="staff_presentation_decline",
    ),
]

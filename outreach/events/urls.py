"""URLs of events and registrations (public and staff)."""

from django.urls import path

from outreach.events import views, views_staff

# No app_name: included by outreach/urls.py, so the names stay `outreach:...`.
urlpatterns = [
    path("outreach/events/", views.event_list_view, name="event_list"),
    path("outreach/events/month/", views.event_month_view, name="event_month"),
    path("outreach/events/calendar.ics", views.events_ics_view, name="events_ics"),
    path("outreach/events/registration/<str:token>/", views.registration_detail_view, name="registration_detail"),
    path(
        "outreach/events/registration/<str:token>/cancel/",
        views.registration_cancel_view,
        name="registration_cancel",
    ),
    path("outreach/events/<slug:slug>/", views.event_detail_view, name="event_detail"),
    path("outreach/events/<slug:slug>/register/", views.event_register_view, name="event_register"),
    path("outreach/events/<slug:slug>/my-link/", views.registration_link_view, name="registration_link"),
    path("outreach/events/<slug:slug>/event.ics", views.event_ics_view, name="event_ics"),
    path("staff/outreach/events/", views_staff.staff_event_list_view, name="staff_event_list"),
    path(
        "staff/outreach/events/<uuid:public_id>/",
        views_staff.staff_event_registrations_view,
        name="staff_event_registrations",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/export/",
        views_staff.staff_event_export_view,
        name="staff_event_export",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/cancel/",
        views_staff.staff_event_cancel_view,
        name="staff_event_cancel",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/capacity/",
        views_staff.staff_event_capacity_view,
        name="staff_event_capacity",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/message/",
        views_staff.staff_event_message_view,
        name="staff_event_message",
    ),
    path(
        "staff/outreach/registrations/<uuid:public_id>/check-in/",
        views_staff.staff_registration_check_in_view,
        name="staff_registration_check_in",
    ),
]

from django.urls import path

from outreach import views, views_dialogues, views_dialogues_staff, views_events, views_events_staff

app_name = "outreach"
urlpatterns = [
    path("outreach/", views.landing_view, name="landing"),
    path("staff/outreach/", views.staff_landing_view, name="staff_landing"),
]

# Programs and events
urlpatterns += [
    path("outreach/programs/", views_events.program_list_view, name="program_list"),
    path("outreach/programs/request/", views_events.presentation_request_view, name="presentation_request"),
    path(
        "outreach/programs/request/received/<str:reference>/",
        views_events.presentation_request_done_view,
        name="presentation_request_done",
    ),
    path("outreach/programs/<slug:slug>/", views_events.program_detail_view, name="program_detail"),
    path("outreach/events/", views_events.event_list_view, name="event_list"),
    path("outreach/events/month/", views_events.event_month_view, name="event_month"),
    path("outreach/events/calendar.ics", views_events.events_ics_view, name="events_ics"),
    path(
        "outreach/events/registration/<str:token>/", views_events.registration_detail_view, name="registration_detail"
    ),
    path(
        "outreach/events/registration/<str:token>/cancel/",
        views_events.registration_cancel_view,
        name="registration_cancel",
    ),
    path("outreach/events/<slug:slug>/", views_events.event_detail_view, name="event_detail"),
    path("outreach/events/<slug:slug>/register/", views_events.event_register_view, name="event_register"),
    path("outreach/events/<slug:slug>/event.ics", views_events.event_ics_view, name="event_ics"),
    path("staff/outreach/events/", views_events_staff.staff_event_list_view, name="staff_event_list"),
    path(
        "staff/outreach/events/<uuid:public_id>/",
        views_events_staff.staff_event_registrations_view,
        name="staff_event_registrations",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/export/",
        views_events_staff.staff_event_export_view,
        name="staff_event_export",
    ),
    path(
        "staff/outreach/events/<uuid:public_id>/cancel/",
        views_events_staff.staff_event_cancel_view,
        name="staff_event_cancel",
    ),
    path(
        "staff/outreach/registrations/<uuid:public_id>/check-in/",
        views_events_staff.staff_registration_check_in_view,
        name="staff_registration_check_in",
    ),
    path(
        "staff/outreach/presentations/", views_events_staff.staff_presentation_list_view, name="staff_presentation_list"
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/",
        views_events_staff.staff_presentation_detail_view,
        name="staff_presentation_detail",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/schedule/",
        views_events_staff.staff_presentation_schedule_view,
        name="staff_presentation_schedule",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/deliver/",
        views_events_staff.staff_presentation_deliver_view,
        name="staff_presentation_deliver",
    ),
    path(
        "staff/outreach/presentations/<uuid:public_id>/decline/",
        views_events_staff.staff_presentation_decline_view,
        name="staff_presentation_decline",
    ),
]

# Community dialogues
urlpatterns += [
    path("outreach/dialogues/", views_dialogues.dialogue_list_view, name="dialogue_list"),
    path("outreach/dialogues/respond/<str:token>/", views_dialogues.dialogue_respond_view, name="dialogue_respond"),
    path("outreach/dialogues/<slug:slug>/", views_dialogues.dialogue_detail_view, name="dialogue_detail"),
    path("outreach/dialogues/<slug:slug>/apply/", views_dialogues.dialogue_apply_view, name="dialogue_apply"),
    path(
        "outreach/dialogues/<slug:slug>/apply/<uuid:public_id>/",
        views_dialogues.dialogue_apply_done_view,
        name="dialogue_apply_done",
    ),
    path(
        "outreach/dialogues/<slug:slug>/draw/", views_dialogues.dialogue_draw_record_view, name="dialogue_draw_record"
    ),
    path(
        "outreach/dialogues/<slug:slug>/draw.json",
        views_dialogues.dialogue_draw_record_json_view,
        name="dialogue_draw_record_json",
    ),
    path(
        "outreach/dialogues/<slug:slug>/recommendations/",
        views_dialogues.dialogue_recommendation_list_view,
        name="dialogue_recommendation_list",
    ),
    path(
        "outreach/dialogues/<slug:slug>/recommendations/<uuid:public_id>/",
        views_dialogues.dialogue_recommendation_detail_view,
        name="dialogue_recommendation_detail",
    ),
    path("staff/outreach/dialogues/", views_dialogues_staff.staff_dialogue_list_view, name="staff_dialogue_list"),
    path(
        "staff/outreach/dialogues/<slug:slug>/",
        views_dialogues_staff.staff_dialogue_series_view,
        name="staff_dialogue_series",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/applications/<uuid:public_id>/",
        views_dialogues_staff.staff_dialogue_application_view,
        name="staff_dialogue_application",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/applications/<uuid:public_id>/eligibility/",
        views_dialogues_staff.staff_dialogue_eligibility_view,
        name="staff_dialogue_eligibility",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/draw/",
        views_dialogues_staff.staff_dialogue_draw_view,
        name="staff_dialogue_draw",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/export/",
        views_dialogues_staff.staff_dialogue_export_view,
        name="staff_dialogue_export",
    ),
]

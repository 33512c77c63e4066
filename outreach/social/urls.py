"""URLs of social publishing (included by outreach/urls.py: no app_name, so the names stay
`outreach:...`)."""

from django.urls import path

from outreach.social import views

urlpatterns = [
    path("staff/outreach/social/", views.staff_social_list_view, name="staff_social_list"),
    path("staff/outreach/social/new/", views.staff_social_compose_view, name="staff_social_compose"),
    path("staff/outreach/social/approvals/", views.staff_social_approvals_view, name="staff_social_approvals"),
    path("staff/outreach/social/calendar/", views.staff_social_calendar_view, name="staff_social_calendar"),
    path("staff/outreach/social/check/", views.staff_social_check_view, name="staff_social_check"),
    path("staff/outreach/social/check/retry/", views.staff_social_retry_view, name="staff_social_retry"),
    path(
        "staff/outreach/social/deliveries/<int:pk>/mark-published/",
        views.staff_social_mark_published_view,
        name="staff_social_mark_published",
    ),
    path("staff/outreach/social/pause/", views.staff_social_pause_view, name="staff_social_pause"),
    path("staff/outreach/social/resume/", views.staff_social_resume_view, name="staff_social_resume"),
    path("staff/outreach/social/records/", views.staff_social_records_view, name="staff_social_records"),
    path(
        "staff/outreach/social/records/export/",
        views.staff_social_records_export_view,
        name="staff_social_records_export",
    ),
    path(
        "staff/outreach/social/from/<str:kind>/<int:pk>/",
        views.staff_social_from_source_view,
        name="staff_social_from_source",
    ),
    path("staff/outreach/social/<uuid:public_id>/", views.staff_social_detail_view, name="staff_social_detail"),
    path("staff/outreach/social/<uuid:public_id>/edit/", views.staff_social_edit_view, name="staff_social_edit"),
    path(
        "staff/outreach/social/<uuid:public_id>/<str:action>/",
        views.staff_social_action_view,
        name="staff_social_action",
    ),
]

"""Training and MCLE (names in the `integrity` namespace)."""

from django.urls import path

from integrity.training import views, views_staff

_T = "staff/justice-training-integrity/training/"
urlpatterns = [
    path(_T, views.training_session_list_view, name="training_sessions"),
    path(f"{_T}courses/new/", views.training_course_create_view, name="training_course_create"),
    path(f"{_T}courses/<uuid:public_id>/edit/", views.training_course_edit_view, name="training_course_edit"),
    path(f"{_T}sessions/<uuid:public_id>/edit/", views.training_session_edit_view, name="training_session_edit"),
    path(
        f"{_T}sessions/<uuid:public_id>/cancel/",
        views.training_session_cancel_view,
        name="training_session_cancel",
    ),
    path(
        f"{_T}courses/<uuid:public_id>/sessions/new/",
        views.training_session_create_view,
        name="training_session_create",
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/register/",
        views.training_session_register_view,
        name="training_session_register",
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/unregister/",
        views.training_session_unregister_view,
        name="training_session_unregister",
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/attendance/",
        views.training_session_attendance_view,
        name="training_session_attendance",
    ),
    path(
        f"{_T}attendance/<uuid:public_id>/remove/",
        views.training_attendance_remove_view,
        name="training_attendance_remove",
    ),
    path(f"{_T}transcript/", views.training_my_transcript_view, name="training_my_transcript"),
    path(f"{_T}transcripts/<uuid:public_id>/", views.training_transcript_view, name="training_transcript"),
    path(f"{_T}certificates/<uuid:public_id>/", views.training_certificate_view, name="training_certificate"),
    path(f"{_T}compliance/", views.training_compliance_view, name="training_compliance"),
    path(f"{_T}mcle-records/", views_staff.training_mcle_records_view, name="training_mcle_records"),
    path(f"{_T}mcle-records/export/", views_staff.training_mcle_export_view, name="training_mcle_export"),
    path(
        f"{_T}mcle-records/<uuid:public_id>/",
        views_staff.training_mcle_person_view,
        name="training_mcle_person",
    ),
    path(
        f"{_T}mcle-certificates/<uuid:public_id>/",
        views_staff.training_mcle_certificate_view,
        name="training_mcle_certificate",
    ),
]

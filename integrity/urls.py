from django.urls import path

from integrity import views, views_training

app_name = "integrity"
urlpatterns = [
    path("justice-training-integrity/", views.landing_view, name="landing"),
    path("staff/justice-training-integrity/", views.staff_landing_view, name="staff_landing"),
]

# Training and MCLE
_T = "staff/justice-training-integrity/training/"
urlpatterns += [
    path(_T, views_training.training_session_list_view, name="training_sessions"),
    path(f"{_T}courses/new/", views_training.training_course_create_view, name="training_course_create"),
    path(
        f"{_T}courses/<uuid:public_id>/sessions/new/",
        views_training.training_session_create_view,
        name="training_session_create",
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/register/",
        views_training.training_session_register_view,
        name="training_session_register",
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/unregister/",
        views_training.training_session_unregister_view,
        name="training_session_unregister",
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/attendance/",
        views_training.training_session_attendance_view,
        name="training_session_attendance",
    ),
    path(
        f"{_T}attendance/<uuid:public_id>/remove/",
        views_training.training_attendance_remove_view,
        name="training_attendance_remove",
    ),
    path(f"{_T}transcript/", views_training.training_my_transcript_view, name="training_my_transcript"),
    path(f"{_T}transcripts/<uuid:public_id>/", views_training.training_transcript_view, name="training_transcript"),
    path(f"{_T}certificates/<uuid:public_id>/", views_training.training_certificate_view, name="training_certificate"),
    path(f"{_T}compliance/", views_training.training_compliance_view, name="training_compliance"),
]

"""URLs of the community dialogues (public and staff)."""

from django.urls import path

from outreach.dialogues import views, views_staff

# No app_name: included by outreach/urls.py, so the names stay `outreach:...`.
urlpatterns = [
    path("outreach/dialogues/", views.dialogue_list_view, name="dialogue_list"),
    path("outreach/dialogues/respond/<str:token>/", views.dialogue_respond_view, name="dialogue_respond"),
    path("outreach/dialogues/<slug:slug>/", views.dialogue_detail_view, name="dialogue_detail"),
    path("outreach/dialogues/<slug:slug>/apply/", views.dialogue_apply_view, name="dialogue_apply"),
    path(
        "outreach/dialogues/<slug:slug>/apply/<uuid:public_id>/",
        views.dialogue_apply_done_view,
        name="dialogue_apply_done",
    ),
    path("outreach/dialogues/<slug:slug>/draw/", views.dialogue_draw_record_view, name="dialogue_draw_record"),
    path(
        "outreach/dialogues/<slug:slug>/draw.json",
        views.dialogue_draw_record_json_view,
        name="dialogue_draw_record_json",
    ),
    path(
        "outreach/dialogues/<slug:slug>/recommendations/",
        views.dialogue_recommendation_list_view,
        name="dialogue_recommendation_list",
    ),
    path(
        "outreach/dialogues/<slug:slug>/recommendations/<uuid:public_id>/",
        views.dialogue_recommendation_detail_view,
        name="dialogue_recommendation_detail",
    ),
    path("staff/outreach/dialogues/", views_staff.staff_dialogue_list_view, name="staff_dialogue_list"),
    path(
        "staff/outreach/dialogues/<slug:slug>/",
        views_staff.staff_dialogue_series_view,
        name="staff_dialogue_series",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/applications/<uuid:public_id>/",
        views_staff.staff_dialogue_application_view,
        name="staff_dialogue_application",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/applications/<uuid:public_id>/eligibility/",
        views_staff.staff_dialogue_eligibility_view,
        name="staff_dialogue_eligibility",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/draw/",
        views_staff.staff_dialogue_draw_view,
        name="staff_dialogue_draw",
    ),
    path(
        "staff/outreach/dialogues/<slug:slug>/export/",
        views_staff.staff_dialogue_export_view,
        name="staff_dialogue_export",
    ),
]

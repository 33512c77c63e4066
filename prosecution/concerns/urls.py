"""Concerns: the staff desk and the residents' pages (report, track, public page, photos).

No app_name: the unit's urls.py includes this module, so the names stay `prosecution:...`."""

from django.urls import path

from prosecution.concerns import views_follow, views_public, views_queue, views_staff

urlpatterns = [
    path("staff/community-prosecution/", views_staff.staff_landing_view, name="staff_landing"),
    path("staff/community-prosecution/concerns/", views_queue.staff_concern_list_view, name="staff_concern_list"),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/",
        views_staff.staff_concern_detail_view,
        name="staff_concern_detail",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/status/",
        views_staff.staff_concern_status_view,
        name="staff_concern_status",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/note/",
        views_staff.staff_concern_note_view,
        name="staff_concern_note",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/assign/",
        views_staff.staff_concern_assign_view,
        name="staff_concern_assign",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/priority/",
        views_staff.staff_concern_priority_view,
        name="staff_concern_priority",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/merge/",
        views_staff.staff_concern_merge_view,
        name="staff_concern_merge",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/photo-visibility/",
        views_staff.staff_concern_photo_visibility_view,
        name="staff_concern_photo_visibility",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/photo-redact/",
        views_staff.staff_concern_photo_redact_view,
        name="staff_concern_photo_redact",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/photo-unredact/",
        views_staff.staff_concern_photo_unredact_view,
        name="staff_concern_photo_unredact",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/public-text/",
        views_staff.staff_concern_public_text_view,
        name="staff_concern_public_text",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/category/",
        views_staff.staff_concern_recategorize_view,
        name="staff_concern_recategorize",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/location/",
        views_staff.staff_concern_relocate_view,
        name="staff_concern_relocate",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/photo/",
        views_staff.staff_concern_photo_view,
        name="staff_concern_photo",
    ),
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
    path(
        "community-prosecution/track/<str:tracking_code>/send-links/",
        views_public.concern_links_send_view,
        name="concern_links_send",
    ),
    path("community-prosecution/concerns/<str:public_ref>/", views_public.concern_public_view, name="concern_public"),
    path(
        "community-prosecution/concerns/<str:public_ref>/follow/",
        views_follow.concern_follow_view,
        name="concern_follow",
    ),
    path(
        "community-prosecution/concerns/<str:public_ref>/me-too/",
        views_follow.concern_me_too_view,
        name="concern_me_too",
    ),
    path(
        "community-prosecution/follow/confirm/<str:key>/",
        views_follow.concern_follow_confirm_view,
        name="concern_follow_confirm",
    ),
    path(
        "community-prosecution/follow/stop/<str:token>/",
        views_follow.concern_unfollow_view,
        name="concern_unfollow",
    ),
    path(
        "community-prosecution/areas/<slug:slug>/alerts/",
        views_follow.area_alert_view,
        name="area_alert",
    ),
    path(
        "community-prosecution/areas/<slug:slug>/concerns.rss",
        views_follow.area_concerns_feed_view,
        name="area_concerns_feed",
    ),
    path(
        "community-prosecution/alerts/confirm/<str:key>/",
        views_follow.area_alert_confirm_view,
        name="area_alert_confirm",
    ),
    path(
        "community-prosecution/alerts/stop/<str:token>/",
        views_follow.area_alert_unsubscribe_view,
        name="area_alert_unsubscribe",
    ),
    path("community-prosecution/photos/<uuid:public_id>/", views_public.photo_public_view, name="photo_public"),
    path(
        "community-prosecution/photos/<uuid:public_id>/thumbnail/",
        views_public.photo_public_thumbnail_view,
        name="photo_public_thumbnail",
    ),
]

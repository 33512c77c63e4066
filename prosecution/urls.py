from django.urls import path

from prosecution import views, views_projects, views_public, views_staff, views_transparency

app_name = "prosecution"
urlpatterns = [
    path("community-prosecution/", views.landing_view, name="landing"),
    # Staff
    path("staff/community-prosecution/", views_staff.staff_landing_view, name="staff_landing"),
    path("staff/community-prosecution/concerns/", views_staff.staff_concern_list_view, name="staff_concern_list"),
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
    # Partners, referrals and problem-solving projects (staff)
    path("staff/community-prosecution/partners/", views_projects.staff_partner_list_view, name="staff_partner_list"),
    path(
        "staff/community-prosecution/partners/new/",
        views_projects.staff_partner_create_view,
        name="staff_partner_create",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/",
        views_projects.staff_partner_detail_view,
        name="staff_partner_detail",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/edit/",
        views_projects.staff_partner_edit_view,
        name="staff_partner_edit",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/contacts/",
        views_projects.staff_partner_contact_add_view,
        name="staff_partner_contact_add",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/contacts/<uuid:contact_id>/remove/",
        views_projects.staff_partner_contact_remove_view,
        name="staff_partner_contact_remove",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/refer/",
        views_projects.staff_concern_refer_view,
        name="staff_concern_refer",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/add-to-project/",
        views_projects.staff_concern_add_to_project_view,
        name="staff_concern_add_to_project",
    ),
    path("staff/community-prosecution/projects/", views_projects.staff_project_list_view, name="staff_project_list"),
    path(
        "staff/community-prosecution/projects/new/",
        views_projects.staff_project_create_view,
        name="staff_project_create",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/",
        views_projects.staff_project_detail_view,
        name="staff_project_detail",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/edit/",
        views_projects.staff_project_edit_view,
        name="staff_project_edit",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/stage/",
        views_projects.staff_project_stage_view,
        name="staff_project_stage",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/concerns/",
        views_projects.staff_project_concern_add_view,
        name="staff_project_concern_add",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/concerns/<uuid:concern_id>/remove/",
        views_projects.staff_project_concern_remove_view,
        name="staff_project_concern_remove",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/partners/",
        views_projects.staff_project_partner_add_view,
        name="staff_project_partner_add",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/actions/",
        views_projects.staff_project_action_add_view,
        name="staff_project_action_add",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/actions/<uuid:action_id>/done/",
        views_projects.staff_project_action_done_view,
        name="staff_project_action_done",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/owner-contacts/",
        views_projects.staff_project_owner_contact_add_view,
        name="staff_project_owner_contact_add",
    ),
    # End of partners, referrals and projects (staff)
    # End of staff
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
    path(
        "community-prosecution/track/<str:tracking_code>/send-links/",
        views_public.concern_links_send_view,
        name="concern_links_send",
    ),
    path("community-prosecution/concerns/<str:public_ref>/", views_public.concern_public_view, name="concern_public"),
    path("community-prosecution/photos/<uuid:public_id>/", views_public.photo_public_view, name="photo_public"),
    path(
        "community-prosecution/photos/<uuid:public_id>/thumbnail/",
        views_public.photo_public_thumbnail_view,
        name="photo_public_thumbnail",
    ),
    path("community-prosecution/my-prosecutor/", views_public.my_prosecutor_view, name="my_prosecutor"),
    path("community-prosecution/areas.geojson", views_public.areas_geojson_view, name="areas_geojson"),
    path("community-prosecution/areas/<slug:slug>/", views_public.area_detail_view, name="area_detail"),
    # Transparency: the public dashboard and the open data
    path(
        "community-prosecution/dashboard/",
        views_transparency.transparency_dashboard_view,
        name="transparency",
    ),
    path(
        "community-prosecution/open-data/<slug:dataset>.<slug:fmt>",
        views_transparency.open_data_view,
        name="open_data",
    ),
    # End of transparency
    # Problem-solving projects and the "is it fixed?" follow-up (residents)
    path(
        "community-prosecution/projects/<uuid:public_id>/",
        views_projects.project_public_view,
        name="project_public",
    ),
    path("community-prosecution/follow-up/<str:token>/", views_projects.followup_answer_view, name="followup_answer"),
    # End of projects and follow-up (residents)
]

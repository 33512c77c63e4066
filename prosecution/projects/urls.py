"""Problem-solving projects: staff pages and the residents' page of a public project.

No app_name: the unit's urls.py includes this module, so the names stay `prosecution:...`."""

from django.urls import path

from prosecution.projects import views

urlpatterns = [
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/add-to-project/",
        views.staff_concern_add_to_project_view,
        name="staff_concern_add_to_project",
    ),
    path("staff/community-prosecution/projects/", views.staff_project_list_view, name="staff_project_list"),
    path(
        "staff/community-prosecution/projects/new/",
        views.staff_project_create_view,
        name="staff_project_create",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/",
        views.staff_project_detail_view,
        name="staff_project_detail",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/edit/",
        views.staff_project_edit_view,
        name="staff_project_edit",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/stage/",
        views.staff_project_stage_view,
        name="staff_project_stage",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/concerns/",
        views.staff_project_concern_add_view,
        name="staff_project_concern_add",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/concerns/<uuid:concern_id>/remove/",
        views.staff_project_concern_remove_view,
        name="staff_project_concern_remove",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/partners/",
        views.staff_project_partner_add_view,
        name="staff_project_partner_add",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/actions/",
        views.staff_project_action_add_view,
        name="staff_project_action_add",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/actions/<uuid:action_id>/done/",
        views.staff_project_action_done_view,
        name="staff_project_action_done",
    ),
    path(
        "staff/community-prosecution/projects/<uuid:public_id>/owner-contacts/",
        views.staff_project_owner_contact_add_view,
        name="staff_project_owner_contact_add",
    ),
    path(
        "community-prosecution/projects/<uuid:public_id>/",
        views.project_public_view,
        name="project_public",
    ),
]

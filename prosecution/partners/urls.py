"""Partner agencies, referrals (staff) and the "is it fixed?" follow-up (residents).

No app_name: the unit's urls.py includes this module, so the names stay `prosecution:...`."""

from django.urls import path

from prosecution.partners import views

urlpatterns = [
    path("staff/community-prosecution/partners/", views.staff_partner_list_view, name="staff_partner_list"),
    path(
        "staff/community-prosecution/partners/new/",
        views.staff_partner_create_view,
        name="staff_partner_create",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/",
        views.staff_partner_detail_view,
        name="staff_partner_detail",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/edit/",
        views.staff_partner_edit_view,
        name="staff_partner_edit",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/contacts/",
        views.staff_partner_contact_add_view,
        name="staff_partner_contact_add",
    ),
    path(
        "staff/community-prosecution/partners/<uuid:public_id>/contacts/<uuid:contact_id>/remove/",
        views.staff_partner_contact_remove_view,
        name="staff_partner_contact_remove",
    ),
    path(
        "staff/community-prosecution/concerns/<uuid:public_id>/refer/",
        views.staff_concern_refer_view,
        name="staff_concern_refer",
    ),
    path("community-prosecution/follow-up/<str:token>/", views.followup_answer_view, name="followup_answer"),
]

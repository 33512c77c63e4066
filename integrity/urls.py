from django.urls import path

from integrity import views, views_policies, views_policies_public

app_name = "integrity"
urlpatterns = [
    path("justice-training-integrity/", views.landing_view, name="landing"),
    path("staff/justice-training-integrity/", views.staff_landing_view, name="staff_landing"),
    # Legal updates and policies
    path(
        "justice-training-integrity/policies/", views_policies_public.policy_public_list_view, name="policy_public_list"
    ),
    path(
        "justice-training-integrity/policies/<slug:slug>/",
        views_policies_public.policy_public_detail_view,
        name="policy_public_detail",
    ),
    path("staff/justice-training-integrity/legal-updates/", views_policies.bulletin_list_view, name="bulletin_list"),
    path(
        "staff/justice-training-integrity/legal-updates/new/", views_policies.bulletin_form_view, name="bulletin_create"
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/",
        views_policies.bulletin_detail_view,
        name="bulletin_detail",
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/edit/",
        views_policies.bulletin_form_view,
        name="bulletin_edit",
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/publish/",
        views_policies.bulletin_publish_view,
        name="bulletin_publish",
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/acknowledge/",
        views_policies.bulletin_acknowledge_view,
        name="bulletin_acknowledge",
    ),
    path("staff/justice-training-integrity/policies/", views_policies.policy_list_view, name="policy_list"),
    path("staff/justice-training-integrity/policies/new/", views_policies.policy_form_view, name="policy_create"),
    path(
        "staff/justice-training-integrity/policies/mine/",
        views_policies.my_acknowledgements_view,
        name="my_acknowledgements",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/",
        views_policies.policy_detail_view,
        name="policy_detail",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/edit/",
        views_policies.policy_form_view,
        name="policy_edit",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/versions/new/",
        views_policies.policy_version_form_view,
        name="policy_version_create",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/",
        views_policies.policy_version_view,
        name="policy_version",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/edit/",
        views_policies.policy_version_form_view,
        name="policy_version_edit",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/publish/",
        views_policies.policy_version_publish_view,
        name="policy_version_publish",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/acknowledge/",
        views_policies.policy_version_acknowledge_view,
        name="policy_version_acknowledge",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/compare/v<int:old>-v<int:new>/",
        views_policies.policy_diff_view,
        name="policy_diff",
    ),
]

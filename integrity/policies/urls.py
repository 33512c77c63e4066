"""Legal update bulletins and office policies (names in the `integrity` namespace)."""

from django.urls import path

from integrity.policies import views_public, views_staff

urlpatterns = [
    # Legal updates and policies
    path("justice-training-integrity/policies/", views_public.policy_public_list_view, name="policy_public_list"),
    path(
        "justice-training-integrity/policies/<slug:slug>/",
        views_public.policy_public_detail_view,
        name="policy_public_detail",
    ),
    path("staff/justice-training-integrity/legal-updates/", views_staff.bulletin_list_view, name="bulletin_list"),
    path("staff/justice-training-integrity/legal-updates/new/", views_staff.bulletin_form_view, name="bulletin_create"),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/",
        views_staff.bulletin_detail_view,
        name="bulletin_detail",
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/edit/",
        views_staff.bulletin_form_view,
        name="bulletin_edit",
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/publish/",
        views_staff.bulletin_publish_view,
        name="bulletin_publish",
    ),
    path(
        "staff/justice-training-integrity/legal-updates/<uuid:public_id>/acknowledge/",
        views_staff.bulletin_acknowledge_view,
        name="bulletin_acknowledge",
    ),
    path("staff/justice-training-integrity/policies/", views_staff.policy_list_view, name="policy_list"),
    path("staff/justice-training-integrity/policies/new/", views_staff.policy_form_view, name="policy_create"),
    path(
        "staff/justice-training-integrity/policies/mine/",
        views_staff.my_acknowledgements_view,
        name="my_acknowledgements",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/",
        views_staff.policy_detail_view,
        name="policy_detail",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/edit/",
        views_staff.policy_form_view,
        name="policy_edit",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/versions/new/",
        views_staff.policy_version_form_view,
        name="policy_version_create",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/",
        views_staff.policy_version_view,
        name="policy_version",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/edit/",
        views_staff.policy_version_form_view,
        name="policy_version_edit",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/publish/",
        views_staff.policy_version_publish_view,
        name="policy_version_publish",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/v<int:number>/acknowledge/",
        views_staff.policy_version_acknowledge_view,
        name="policy_version_acknowledge",
    ),
    path(
        "staff/justice-training-integrity/policies/<slug:slug>/compare/v<int:old>-v<int:new>/",
        views_staff.policy_diff_view,
        name="policy_diff",
    ),
]

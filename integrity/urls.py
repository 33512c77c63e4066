from django.urls import path

from integrity import views, views_policies, views_policies_public, views_training

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

# Confidential records
from integrity import views_access_log, views_records, views_records_staff  # noqa: E402

STAFF_RECORDS = "staff/justice-training-integrity/records/"
urlpatterns += [
    path(
        "justice-training-integrity/report-misconduct/", views_records.allegation_report_view, name="allegation_report"
    ),
    path(
        "justice-training-integrity/report-misconduct/received/",
        views_records.allegation_received_view,
        name="allegation_received",
    ),
    path("justice-training-integrity/conviction-review/", views_records.claim_submit_view, name="claim_submit"),
    path(
        "justice-training-integrity/conviction-review/received/",
        views_records.claim_received_view,
        name="claim_received",
    ),
    path(
        "justice-training-integrity/integrity-reviews-in-numbers/",
        views_records.records_transparency_view,
        name="records_transparency",
    ),
    path(STAFF_RECORDS, views_records_staff.RecordsHomeView.as_view(), name="records_home"),
    path(f"{STAFF_RECORDS}allegations/", views_records_staff.allegation_list_view, name="allegation_list"),
    path(f"{STAFF_RECORDS}allegations/new/", views_records_staff.allegation_new_view, name="allegation_new"),
    path(f"{STAFF_RECORDS}allegations/export/", views_records_staff.allegation_export_view, name="allegation_export"),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/",
        views_records_staff.allegation_detail_view,
        name="allegation_detail",
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/attachments/<int:attachment_id>/",
        views_records_staff.allegation_attachment_view,
        name="allegation_attachment",
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/advance/",
        views_records_staff.allegation_advance_view,
        name="allegation_advance",
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/referral/",
        views_records_staff.allegation_referral_view,
        name="allegation_referral",
    ),
    path(f"{STAFF_RECORDS}claims/", views_records_staff.claim_list_view, name="claim_list"),
    path(f"{STAFF_RECORDS}claims/export/", views_records_staff.claim_export_view, name="claim_export"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/", views_records_staff.claim_detail_view, name="claim_detail"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/screen/", views_records_staff.claim_screen_view, name="claim_screen"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/assign/", views_records_staff.claim_assign_view, name="claim_assign"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/note/", views_records_staff.claim_note_view, name="claim_note"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/letter/", views_records_staff.claim_letter_view, name="claim_letter"),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/wall/", views_records_staff.claim_wall_add_view, name="claim_wall_add"
    ),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/wall/remove/",
        views_records_staff.claim_wall_remove_view,
        name="claim_wall_remove",
    ),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/dispose/", views_records_staff.claim_dispose_view, name="claim_dispose"
    ),
    path(f"{STAFF_RECORDS}testing/", views_records_staff.testing_list_view, name="testing_list"),
    path(f"{STAFF_RECORDS}testing/new/", views_records_staff.testing_new_view, name="testing_new"),
    path(f"{STAFF_RECORDS}testing/<uuid:public_id>/", views_records_staff.testing_detail_view, name="testing_detail"),
    path(
        f"{STAFF_RECORDS}testing/<uuid:public_id>/evidence/",
        views_records_staff.testing_evidence_view,
        name="testing_evidence",
    ),
    path(
        f"{STAFF_RECORDS}testing/<uuid:public_id>/advance/",
        views_records_staff.testing_advance_view,
        name="testing_advance",
    ),
    path(f"{STAFF_RECORDS}disclosures/", views_records_staff.disclosure_list_view, name="disclosure_list"),
    path(f"{STAFF_RECORDS}disclosures/new/", views_records_staff.disclosure_new_view, name="disclosure_new"),
    path(f"{STAFF_RECORDS}disclosures/by-case/", views_records_staff.disclosure_case_view, name="disclosure_case"),
    path(
        f"{STAFF_RECORDS}disclosures/<uuid:public_id>/",
        views_records_staff.disclosure_detail_view,
        name="disclosure_detail",
    ),
    path(
        f"{STAFF_RECORDS}disclosures/<uuid:public_id>/log/",
        views_records_staff.disclosure_log_view,
        name="disclosure_log",
    ),
    path(
        f"{STAFF_RECORDS}disclosures/<uuid:public_id>/reconsider/",
        views_records_staff.disclosure_reconsider_view,
        name="disclosure_reconsider",
    ),
    path(f"{STAFF_RECORDS}retention/", views_records_staff.retention_list_view, name="retention_list"),
    path(f"{STAFF_RECORDS}access-log/", views_access_log.access_log_view, name="access_log"),
    path(
        f"{STAFF_RECORDS}<slug:kind>/<uuid:public_id>/retention/",
        views_records_staff.record_retention_view,
        name="record_retention",
    ),
    path(
        f"{STAFF_RECORDS}<slug:kind>/<uuid:public_id>/delete/",
        views_records_staff.record_delete_view,
        name="record_delete",
    ),
]

# Training and MCLE
_T = "staff/justice-training-integrity/training/"
urlpatterns += [
    path(_T, views_training.training_session_list_view, name="training_sessions"),
    path(f"{_T}courses/new/", views_training.training_course_create_view, name="training_course_create"),
    path(f"{_T}courses/<uuid:public_id>/edit/", views_training.training_course_edit_view, name="training_course_edit"),
    path(
        f"{_T}sessions/<uuid:public_id>/edit/", views_training.training_session_edit_view, name="training_session_edit"
    ),
    path(
        f"{_T}sessions/<uuid:public_id>/cancel/",
        views_training.training_session_cancel_view,
        name="training_session_cancel",
    ),
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

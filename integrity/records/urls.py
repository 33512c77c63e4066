"""The confidential records and their public intake pages (names in the `integrity` namespace)."""

from django.urls import path

from integrity.records import (
    views_access_log,
    views_public,
    views_staff,
    views_staff_allegations,
    views_staff_claims,
    views_staff_disclosure,
    views_staff_retention,
    views_staff_testing,
    views_staff_wall,
)

STAFF_RECORDS = "staff/justice-training-integrity/records/"
urlpatterns = [
    path(
        "justice-training-integrity/report-misconduct/", views_public.allegation_report_view, name="allegation_report"
    ),
    path(
        "justice-training-integrity/report-misconduct/received/",
        views_public.allegation_received_view,
        name="allegation_received",
    ),
    path("justice-training-integrity/conviction-review/", views_public.claim_submit_view, name="claim_submit"),
    path(
        "justice-training-integrity/conviction-review/received/",
        views_public.claim_received_view,
        name="claim_received",
    ),
    path(
        "justice-training-integrity/integrity-reviews-in-numbers/",
        views_public.records_transparency_view,
        name="records_transparency",
    ),
    path(STAFF_RECORDS, views_staff.RecordsHomeView.as_view(), name="records_home"),
    path(f"{STAFF_RECORDS}allegations/", views_staff_allegations.allegation_list_view, name="allegation_list"),
    path(f"{STAFF_RECORDS}allegations/new/", views_staff_allegations.allegation_new_view, name="allegation_new"),
    path(
        f"{STAFF_RECORDS}allegations/export/", views_staff_allegations.allegation_export_view, name="allegation_export"
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/",
        views_staff_allegations.allegation_detail_view,
        name="allegation_detail",
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/attachments/<int:attachment_id>/",
        views_staff_allegations.allegation_attachment_view,
        name="allegation_attachment",
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/advance/",
        views_staff_allegations.allegation_advance_view,
        name="allegation_advance",
    ),
    path(
        f"{STAFF_RECORDS}allegations/<uuid:public_id>/referral/",
        views_staff_allegations.allegation_referral_view,
        name="allegation_referral",
    ),
    path(f"{STAFF_RECORDS}claims/", views_staff_claims.claim_list_view, name="claim_list"),
    path(f"{STAFF_RECORDS}claims/export/", views_staff_claims.claim_export_view, name="claim_export"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/", views_staff_claims.claim_detail_view, name="claim_detail"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/screen/", views_staff_claims.claim_screen_view, name="claim_screen"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/assign/", views_staff_claims.claim_assign_view, name="claim_assign"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/note/", views_staff_claims.claim_note_view, name="claim_note"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/letter/", views_staff_claims.claim_letter_view, name="claim_letter"),
    path(f"{STAFF_RECORDS}claims/<uuid:public_id>/wall/", views_staff_wall.claim_wall_add_view, name="claim_wall_add"),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/wall/remove/",
        views_staff_wall.claim_wall_remove_view,
        name="claim_wall_remove",
    ),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/wall/<uuid:change_id>/confirm/",
        views_staff_wall.claim_wall_confirm_view,
        name="claim_wall_confirm",
    ),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/wall/<uuid:change_id>/reject/",
        views_staff_wall.claim_wall_reject_view,
        name="claim_wall_reject",
    ),
    path(
        f"{STAFF_RECORDS}claims/<uuid:public_id>/dispose/", views_staff_claims.claim_dispose_view, name="claim_dispose"
    ),
    path(f"{STAFF_RECORDS}testing/", views_staff_testing.testing_list_view, name="testing_list"),
    path(f"{STAFF_RECORDS}testing/new/", views_staff_testing.testing_new_view, name="testing_new"),
    path(f"{STAFF_RECORDS}testing/<uuid:public_id>/", views_staff_testing.testing_detail_view, name="testing_detail"),
    path(
        f"{STAFF_RECORDS}testing/<uuid:public_id>/evidence/",
        views_staff_testing.testing_evidence_view,
        name="testing_evidence",
    ),
    path(
        f"{STAFF_RECORDS}testing/<uuid:public_id>/advance/",
        views_staff_testing.testing_advance_view,
        name="testing_advance",
    ),
    path(
        f"{STAFF_RECORDS}testing/<uuid:public_id>/assign/",
        views_staff_testing.testing_assign_view,
        name="testing_assign",
    ),
    path(
        f"{STAFF_RECORDS}testing/<uuid:public_id>/continuance/",
        views_staff_testing.testing_continuance_view,
        name="testing_continuance",
    ),
    path(f"{STAFF_RECORDS}disclosures/", views_staff_disclosure.disclosure_list_view, name="disclosure_list"),
    path(f"{STAFF_RECORDS}disclosures/new/", views_staff_disclosure.disclosure_new_view, name="disclosure_new"),
    path(
        f"{STAFF_RECORDS}disclosures/export/", views_staff_disclosure.disclosure_export_view, name="disclosure_export"
    ),
    # For prosecutors outside JTI: a yes/no answer, never an entry (views_staff_disclosure).
    path(
        "staff/justice-training-integrity/officer-lookup/",
        views_staff_disclosure.disclosure_lookup_view,
        name="disclosure_lookup",
    ),
    path(f"{STAFF_RECORDS}disclosures/by-case/", views_staff_disclosure.disclosure_case_view, name="disclosure_case"),
    path(
        f"{STAFF_RECORDS}disclosures/<uuid:public_id>/",
        views_staff_disclosure.disclosure_detail_view,
        name="disclosure_detail",
    ),
    path(
        f"{STAFF_RECORDS}disclosures/<uuid:public_id>/log/",
        views_staff_disclosure.disclosure_log_view,
        name="disclosure_log",
    ),
    path(
        f"{STAFF_RECORDS}disclosures/<uuid:public_id>/reconsider/",
        views_staff_disclosure.disclosure_reconsider_view,
        name="disclosure_reconsider",
    ),
    path(f"{STAFF_RECORDS}retention/", views_staff.retention_list_view, name="retention_list"),
    path(f"{STAFF_RECORDS}access-log/", views_access_log.access_log_view, name="access_log"),
    path(
        f"{STAFF_RECORDS}disposition-runs/",
        views_staff_retention.disposition_run_list_view,
        name="disposition_run_list",
    ),
    path(
        f"{STAFF_RECORDS}disposition-runs/<uuid:run_id>/",
        views_staff_retention.disposition_run_view,
        name="disposition_run",
    ),
    path(
        f"{STAFF_RECORDS}<slug:kind>/<uuid:public_id>/retention/",
        views_staff.record_retention_view,
        name="record_retention",
    ),
    path(
        f"{STAFF_RECORDS}<slug:kind>/<uuid:public_id>/delete/",
        views_staff.record_delete_view,
        name="record_delete",
    ),
    path(
        f"{STAFF_RECORDS}<slug:kind>/<uuid:public_id>/disposal/",
        views_staff.record_disposal_view,
        name="record_disposal",
    ),
]

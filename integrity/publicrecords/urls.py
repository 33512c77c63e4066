"""Public records requests (California Public Records Act): public form, receipt and status
page; the staff queue, request pages and release log export."""

from django.urls import path

from integrity.publicrecords import views_public, views_staff

PUBLIC = "justice-training-integrity/public-records/"
STAFF = "staff/justice-training-integrity/public-records/"

urlpatterns = [
    path(f"{PUBLIC}request/", views_public.request_form_view, name="public_records_request"),
    path(f"{PUBLIC}request/received/", views_public.request_received_view, name="public_records_received"),
    path(f"{PUBLIC}status/", views_public.status_find_view, name="public_records_status_find"),
    path(f"{PUBLIC}status/<str:tracking_code>/", views_public.status_view, name="public_records_status"),
    path(STAFF, views_staff.queue_view, name="public_records_queue"),
    path(f"{STAFF}new/", views_staff.request_new_view, name="public_records_new"),
    path(f"{STAFF}releases/export/", views_staff.release_log_export_view, name="public_records_export"),
    path(f"{STAFF}<uuid:public_id>/", views_staff.request_detail_view, name="public_records_detail"),
    path(f"{STAFF}<uuid:public_id>/assign/", views_staff.request_assign_view, name="public_records_assign"),
    path(f"{STAFF}<uuid:public_id>/notes/", views_staff.request_notes_view, name="public_records_notes"),
    path(f"{STAFF}<uuid:public_id>/records/", views_staff.request_gathered_view, name="public_records_gathered"),
    path(f"{STAFF}<uuid:public_id>/redactions/", views_staff.request_redaction_view, name="public_records_redaction"),
    path(f"{STAFF}<uuid:public_id>/extend/", views_staff.request_extend_view, name="public_records_extend"),
    path(f"{STAFF}<uuid:public_id>/determine/", views_staff.request_determine_view, name="public_records_determine"),
    path(f"{STAFF}<uuid:public_id>/release/", views_staff.request_release_view, name="public_records_release"),
    path(f"{STAFF}<uuid:public_id>/close/", views_staff.request_close_view, name="public_records_close"),
]

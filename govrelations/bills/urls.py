from django.urls import path

from govrelations.bills import views_public, views_staff

S = "staff/government-relations/"
urlpatterns = [
    # public
    path("government-relations/", views_public.landing_view, name="landing"),
    path(
        "government-relations/positions/<str:session>/",
        views_public.session_positions_view,
        name="session_positions",
    ),
    path("government-relations/bills/<uuid:public_id>/", views_public.bill_detail_view, name="bill_detail"),
    # staff
    path(S, views_staff.staff_landing_view, name="staff_landing"),
    path(f"{S}bills/", views_staff.staff_bill_list_view, name="staff_bill_list"),
    path(f"{S}bills/<uuid:public_id>/", views_staff.staff_bill_detail_view, name="staff_bill_detail"),
    path(f"{S}bills/<uuid:public_id>/analysis/", views_staff.staff_bill_analysis_view, name="staff_bill_analysis"),
    path(f"{S}bills/<uuid:public_id>/record/", views_staff.staff_bill_record_view, name="staff_bill_record"),
    path(f"{S}bills/<uuid:public_id>/track/", views_staff.staff_bill_track_view, name="staff_bill_track"),
    path(f"{S}bills/<uuid:public_id>/comment/", views_staff.staff_bill_comment_view, name="staff_bill_comment"),
    path(f"{S}bills/<uuid:public_id>/follow/", views_staff.staff_bill_follow_view, name="staff_bill_follow"),
    path(f"{S}bills/<uuid:public_id>/propose/", views_staff.staff_position_propose_view, name="staff_position_propose"),
    path(f"{S}bills/<uuid:public_id>/hearings/", views_staff.staff_hearing_add_view, name="staff_hearing_add"),
    path(f"{S}bills/<uuid:public_id>/tasks/", views_staff.staff_task_add_view, name="staff_task_add"),
    path(f"{S}tasks/<uuid:public_id>/complete/", views_staff.staff_task_complete_view, name="staff_task_complete"),
    path(f"{S}digest/", views_staff.staff_digest_view, name="staff_digest"),
]

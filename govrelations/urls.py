from django.urls import path

from govrelations import views, views_staff

app_name = "govrelations"
S = "staff/government-relations/"
urlpatterns = [
    # public
    path("government-relations/", views.landing_view, name="landing"),
    path("government-relations/positions/feed/", views.positions_feed_view, name="positions_feed"),
    path("government-relations/positions/<str:session>/", views.session_positions_view, name="session_positions"),
    path("government-relations/bills/<uuid:public_id>/", views.bill_detail_view, name="bill_detail"),
    path("government-relations/letters/<uuid:public_id>/", views.letter_detail_view, name="letter_detail"),
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
    path(
        f"{S}positions/<uuid:public_id>/approve/",
        views_staff.staff_position_approve_view,
        name="staff_position_approve",
    ),
    path(
        f"{S}positions/<uuid:public_id>/return/", views_staff.staff_position_return_view, name="staff_position_return"
    ),
    path(f"{S}positions/<uuid:public_id>/letter/", views_staff.staff_letter_create_view, name="staff_letter_create"),
    path(f"{S}letters/<uuid:public_id>/", views_staff.staff_letter_detail_view, name="staff_letter_detail"),
    path(f"{S}letters/<uuid:public_id>/sent/", views_staff.staff_letter_sent_view, name="staff_letter_sent"),
    path(f"{S}tasks/<uuid:public_id>/complete/", views_staff.staff_task_complete_view, name="staff_task_complete"),
    path(f"{S}hearings/", views_staff.staff_hearing_calendar_view, name="staff_hearing_calendar"),
    path(f"{S}digest/", views_staff.staff_digest_view, name="staff_digest"),
]

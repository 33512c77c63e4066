from django.urls import path

from govrelations.positions import views_public, views_staff

S = "staff/government-relations/"
urlpatterns = [
    # public
    path("government-relations/positions/feed/", views_public.positions_feed_view, name="positions_feed"),
    path("government-relations/letters/<uuid:public_id>/", views_public.letter_detail_view, name="letter_detail"),
    # staff
    path(
        f"{S}positions/<uuid:public_id>/approve/",
        views_staff.staff_position_approve_view,
        name="staff_position_approve",
    ),
    path(
        f"{S}positions/<uuid:public_id>/return/", views_staff.staff_position_return_view, name="staff_position_return"
    ),
    path(
        f"{S}positions/<uuid:public_id>/spanish/",
        views_staff.staff_position_spanish_view,
        name="staff_position_spanish",
    ),
    path(f"{S}positions/<uuid:public_id>/letter/", views_staff.staff_letter_create_view, name="staff_letter_create"),
    path(f"{S}letters/<uuid:public_id>/", views_staff.staff_letter_detail_view, name="staff_letter_detail"),
    path(f"{S}letters/<uuid:public_id>/sent/", views_staff.staff_letter_sent_view, name="staff_letter_sent"),
]

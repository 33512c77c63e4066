from django.urls import path

from govrelations.hearings import views_staff

S = "staff/government-relations/"
urlpatterns = [
    path(f"{S}hearings/", views_staff.staff_hearing_calendar_view, name="staff_hearing_calendar"),
]

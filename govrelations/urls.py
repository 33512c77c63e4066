from django.urls import path

from govrelations import views

app_name = "govrelations"
urlpatterns = [
    path("government-relations/", views.landing_view, name="landing"),
    path("staff/government-relations/", views.staff_landing_view, name="staff_landing"),
]

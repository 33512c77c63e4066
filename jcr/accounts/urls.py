from django.urls import path

from jcr.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/invitation/<uidb64>/<token>/", views.invitation_accept_view, name="invitation_accept"),
    path("accounts/session/keepalive/", views.session_keepalive_view, name="session_keepalive"),
    path("accounts/session/status/", views.session_status_view, name="session_status"),
    path("accounts/submissions/", views.my_submissions_view, name="my_submissions"),
]

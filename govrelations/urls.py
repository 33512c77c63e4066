from django.urls import include, path

app_name = "govrelations"
urlpatterns = [
    # positions first: its feed/ path must win over the bills' positions/<session>/ page
    path("", include("govrelations.positions.urls")),
    path("", include("govrelations.bills.urls")),
    path("", include("govrelations.hearings.urls")),
]

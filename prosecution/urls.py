from django.urls import include, path

app_name = "prosecution"
urlpatterns = [
    path("", include("prosecution.areas.urls")),
    path("", include("prosecution.concerns.urls")),
    path("", include("prosecution.partners.urls")),
    path("", include("prosecution.projects.urls")),
    path("", include("prosecution.transparency.urls")),
    path("", include("prosecution.publicmap.urls")),
]

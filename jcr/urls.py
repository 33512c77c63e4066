from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language

from jcr.core import views as core_views
from jcr.core import wellknown
from jcr.core.sitemaps import sitemaps_collect

urlpatterns = [
    path("healthz", core_views.healthz_view, name="healthz"),
    path("healthz/live", core_views.healthz_live_view, name="healthz_live"),
    path("healthz/ready", core_views.healthz_ready_view, name="healthz_ready"),
    path("robots.txt", wellknown.robots_txt_view, name="robots_txt"),
    path(".well-known/security.txt", wellknown.security_txt_view, name="security_txt"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": sitemaps_collect()},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Open311 GeoReport v2 has one address for every client: no language prefix.
    path("open311/v2/", include("prosecution.open311.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("jcr.core.urls")),
    path("", include("jcr.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("prosecution.urls")),
    path("", include("outreach.urls")),
    path("", include("govrelations.urls")),
    path("", include("integrity.urls")),
    prefix_default_language=False,
)

handler500 = "jcr.core.views.server_error_view"

if settings.DEBUG:
    from jcr.core.media_debug import media_debug_view

    urlpatterns += [path("media/<path:path>", media_debug_view, name="media_debug")]

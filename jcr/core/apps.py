from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jcr.core"
    label = "core"
    verbose_name = _("Platform")
    search_sources = "jcr.core.search_pages.sources"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from jcr.core.checks import deployment_shape, geocoder_is_real
        from jcr.core.forms import text_field_install
        from jcr.core.geo import areas_geojson_forget
        from jcr.core.models import Area

        text_field_install()
        checks.register(geocoder_is_real, checks.Tags.compatibility, deploy=True)
        checks.register(deployment_shape, checks.Tags.database, checks.Tags.caches, deploy=True)
        # The maps' cached district outlines follow every change of an area.
        post_save.connect(areas_geojson_forget, sender=Area, dispatch_uid="jcr.core.geo.areas_geojson_forget")
        post_delete.connect(areas_geojson_forget, sender=Area, dispatch_uid="jcr.core.geo.areas_geojson_forget.delete")


class JCRAdminConfig(AdminConfig):
    default_site = "jcr.core.admin_site.JCRAdminSite"

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

        from jcr.core.checks import deployment_shape
        from jcr.core.forms import text_field_install

        text_field_install()
        checks.register(deployment_shape, checks.Tags.database, checks.Tags.caches, deploy=True)


class JCRAdminConfig(AdminConfig):
    default_site = "jcr.core.admin_site.JCRAdminSite"

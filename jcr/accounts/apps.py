from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jcr.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out
        from django.core import checks

        from jcr.accounts.checks import mfa_key
        from jcr.accounts.receivers import end_all_sessions_on_logout

        user_logged_out.connect(end_all_sessions_on_logout, dispatch_uid="jcr_end_all_sessions_on_logout")
        checks.register(mfa_key, checks.Tags.security, deploy=True)

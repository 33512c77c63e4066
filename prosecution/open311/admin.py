"""Admin of the Open311 clients (API keys)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from prosecution.open311.keys import open311_client_create, open311_client_revoke
from prosecution.open311.models import Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Clients of the Open311 API. A key is created here and shown once, in the message after
    saving; only its hash and prefix are kept."""

    list_display = ["name", "key_prefix", "contact_email", "is_active", "revoked_at", "last_used_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email", "key_prefix"]
    fields = ["name", "contact_email", "key_prefix", "is_active", "revoked_at", "last_used_at", "created_at"]
    readonly_fields = ["key_prefix", "is_active", "revoked_at", "last_used_at", "created_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = open311_client_create(name=obj.name, contact_email=obj.contact_email, actor=request.user)
        obj.pk = client.pk
        obj.key_prefix = client.key_prefix
        obj.key_hash = client.key_hash
        obj.created_at = client.created_at
        obj._state.adding = False
        obj._state.db = client._state.db
        messages.warning(
            request,
            _("The API key of %(name)s is %(key)s. Copy it now: it will not be shown again.")
            % {"name": client.name, "key": key},
        )

    @admin.action(description=_("Revoke the keys of the selected clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            open311_client_revoke(client=client, actor=request.user)
        messages.success(request, _("The selected keys were revoked."))

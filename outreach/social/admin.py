"""Admin of social publishing. Channel credentials are write-only here: a new value can be
stored (encrypted), the stored one is never shown. Post statuses change only through the
workflow (staff pages), so they are read-only in admin."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outreach.social import services_delivery
from outreach.social.models import (
    ChannelAccount,
    Delivery,
    DevelopmentOutboxEntry,
    PostMedia,
    PostVariant,
    PublishingPause,
    SocialPost,
)


class ChannelAccountForm(forms.ModelForm):
    new_credentials = forms.CharField(
        label=_("New credentials"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            'JSON, e.g. {"access_token": "…"} (Bluesky: {"identifier": "…", "app_password": "…"}). '
            "Stored encrypted; leave empty to keep the stored credentials."
        ),
    )
    clear_credentials = forms.BooleanField(label=_("Remove the stored credentials"), required=False)

    class Meta:
        model = ChannelAccount
        fields = ["platform", "name", "base_url", "account_id", "profile_url", "token_expires_at", "is_active"]

    def clean_new_credentials(self):
        raw = self.cleaned_data.get("new_credentials", "").strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the credentials as a JSON object.")) from exc
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise forms.ValidationError(_("Enter the credentials as a JSON object of texts."))
        return value


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    form = ChannelAccountForm
    list_display = ["name", "platform", "account_id", "has_credentials", "token_expires_at", "is_active"]
    list_filter = ["platform", "is_active"]
    search_fields = ["name", "account_id"]
    readonly_fields = ["token_notice_sent_at"]

    @admin.display(boolean=True, description=_("credentials stored"))
    def has_credentials(self, obj):
        return bool(obj.credentials_encrypted)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("clear_credentials"):
            obj.credentials_set({})
        elif form.cleaned_data.get("new_credentials"):
            obj.credentials_set(form.cleaned_data["new_credentials"])
            obj.token_notice_sent_at = None
        super().save_model(request, obj, form, change)


class PostVariantInline(admin.TabularInline):
    model = PostVariant
    extra = 0
    autocomplete_fields = ["channel"]


class PostMediaInline(admin.TabularInline):
    model = PostMedia
    extra = 0


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "publish_at", "attempts", "remote_url", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SocialPost)
class SocialPostAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "author", "approver", "publish_at", "repeat", "occurrence", "source_kind"]
    list_filter = ["status", "repeat", "source_kind"]
    search_fields = ["title", "body", "author__email", "approver__email"]
    date_hierarchy = "publish_at"
    list_select_related = ["author", "approver"]
    readonly_fields = [
        "status",
        "author",
        "approver",
        "submitted_at",
        "approved_at",
        "public_id",
        "occurrence",
        "previous",
        "series",
    ]
    inlines = [PostVariantInline, PostMediaInline, DeliveryInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        elif obj.status != SocialPost.Status.DRAFT and form.changed_data:
            raise PermissionDenied  # edits after drafting go through the workflow (staff pages)
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["post", "channel", "status", "publish_at", "attempts", "next_attempt_at", "remote_url"]
    list_filter = ["status", "channel__platform"]
    search_fields = ["post__title", "text", "remote_id", "remote_url", "error"]
    date_hierarchy = "publish_at"
    list_select_related = ["post", "channel"]
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed deliveries again"), permissions=["change"])
    def retry(self, request, queryset):
        count = services_delivery.deliveries_retry(user=request.user, ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d delivery scheduled again.", "%(n)d deliveries scheduled again.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(PublishingPause)
class PublishingPauseAdmin(admin.ModelAdmin):
    list_display = ["started_at", "started_by", "reason", "resumed_at", "resumed_by"]
    search_fields = ["reason", "resume_note"]
    list_select_related = ["started_by", "resumed_by"]
    date_hierarchy = "started_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PublishingPause._meta.fields]

    def has_add_permission(self, request):
        return False  # paused and resumed from the staff pages, with who and why


@admin.register(DevelopmentOutboxEntry)
class DevelopmentOutboxEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "text", "delivery"]
    list_filter = ["channel"]
    search_fields = ["text"]
    list_select_related = ["channel", "delivery"]
    readonly_fields = ["created_at", "channel", "delivery", "text", "media"]

    def has_add_permission(self, request):
        return False

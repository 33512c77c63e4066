"""Admin of legal update bulletins and office policies (for administrators; the unit's staff
use the staff pages). Bodies are rendered and sanitised on save, as in the services."""

from __future__ import annotations

from django.contrib import admin

from integrity.policies.models import (
    Bulletin,
    BulletinRecipient,
    BulletinReminder,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
)
from jcr.core.markdown import markdown_render


class PolicyVersionInline(admin.TabularInline):
    model = PolicyVersion
    fk_name = "policy"
    fields = ["number", "status", "effective_on", "change_summary", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "is_public", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["number", "title", "title_es", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_by"]
    inlines = [PolicyVersionInline]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["policy", "number", "status", "effective_on", "published_at", "supersedes"]
    list_filter = ["status", "policy__is_public"]
    search_fields = ["policy__number", "policy__title", "change_summary", "body"]
    date_hierarchy = "effective_on"
    list_select_related = ["policy", "supersedes__policy"]
    autocomplete_fields = ["policy"]
    readonly_fields = ["supersedes", "published_at", "published_by"]

    def save_model(self, request, obj, form, change):
        obj.body_html = markdown_render(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["version", "person", "acknowledged_at"]
    list_filter = ["version__policy"]
    search_fields = ["person__email", "person__full_name", "version__policy__number"]
    date_hierarchy = "acknowledged_at"
    list_select_related = ["version__policy", "person"]
    raw_id_fields = ["version", "person"]


class BulletinRecipientInline(admin.TabularInline):
    model = BulletinRecipient
    fields = ["person", "acknowledged_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "audience", "published_at", "bill", "other_reference"]
    list_filter = ["status", "audience", "audience_groups"]
    search_fields = ["title", "summary", "body", "other_reference", "bill__identifier"]
    date_hierarchy = "published_at"
    list_select_related = ["bill__session"]
    filter_horizontal = ["audience_groups"]
    autocomplete_fields = ["policies"]
    # Bills are Government Relations' records: chosen by id here (thousands of them), never edited.
    raw_id_fields = ["bill"]
    readonly_fields = ["status", "published_at", "published_by", "created_by"]
    inlines = [BulletinRecipientInline]

    def save_model(self, request, obj, form, change):
        obj.body_html = markdown_render(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(BulletinRecipient)
class BulletinRecipientAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "person", "acknowledged_at"]
    list_filter = ["bulletin", ("acknowledged_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__email", "person__full_name", "bulletin__title"]
    list_select_related = ["bulletin", "person"]
    raw_id_fields = ["bulletin", "person"]


@admin.register(BulletinReminder)
class BulletinReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "sequence", "sent_at"]
    search_fields = ["recipient__person__email", "recipient__bulletin__title"]
    date_hierarchy = "sent_at"
    list_select_related = ["recipient__bulletin", "recipient__person"]
    raw_id_fields = ["recipient"]

"""Admin of public records requests: read-only (the staff pages and their services make every
change, with the timeline, the audit entry and the e-mails). The JTI Chief sees them."""

from __future__ import annotations

from django.contrib import admin

from integrity.publicrecords.models import (
    GatheredRecord,
    PublicRecordsRequest,
    Redaction,
    Release,
    Reminder,
    RequestStep,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    audited_by_services = True  # nothing is saved here

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _Inline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GatheredInline(_Inline):
    model = GatheredRecord
    fields = ["title", "pages", "added_by", "created_at"]
    readonly_fields = fields


class ReleaseInline(_Inline):
    model = Release
    fields = ["released_on", "scope", "method", "records_count", "released_by"]
    readonly_fields = fields


class StepInline(_Inline):
    model = RequestStep
    fields = ["created_at", "step", "note", "actor"]
    readonly_fields = fields


@admin.register(PublicRecordsRequest)
class PublicRecordsRequestAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "received_on", "channel", "status", "determination_due", "extended_due"]
    list_filter = ["status", "channel", "determination"]
    search_fields = ["tracking_code"]
    date_hierarchy = "received_on"
    list_select_related = ["determination_rule"]
    inlines = [GatheredInline, ReleaseInline, StepInline]


@admin.register(GatheredRecord)
class GatheredRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "request", "pages", "created_at"]
    search_fields = ["request__tracking_code", "title"]
    list_select_related = ["request"]


@admin.register(Redaction)
class RedactionAdmin(ReadOnlyAdmin):
    list_display = ["request", "record", "exemption", "withheld_in_full", "created_at"]
    list_filter = ["exemption"]
    search_fields = ["request__tracking_code"]
    list_select_related = ["request", "record"]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["request", "released_on", "scope", "method", "records_count"]
    list_filter = ["scope", "method"]
    date_hierarchy = "released_on"
    search_fields = ["request__tracking_code"]
    list_select_related = ["request"]


@admin.register(RequestStep)
class RequestStepAdmin(ReadOnlyAdmin):
    list_display = ["request", "step", "created_at", "actor"]
    list_filter = ["step"]
    search_fields = ["request__tracking_code"]
    list_select_related = ["request", "actor"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["request", "kind", "due_on", "remind_on", "sent_at", "cancelled_at"]
    list_filter = ["kind"]
    search_fields = ["request__tracking_code"]
    list_select_related = ["request"]

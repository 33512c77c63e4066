from django.contrib import admin

from govrelations.hearings import services
from govrelations.hearings.models import Hearing, HearingReminder


class ReadOnlyAdminMixin:
    """Rows written by the workflow or by workers: visible, not edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    list_display = ["bill", "committee", "starts_at", "location"]
    list_filter = ["committee"]
    search_fields = ["bill__identifier", "committee", "location"]
    list_select_related = ["bill__session"]
    raw_id_fields = ["bill"]
    date_hierarchy = "starts_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.hearing_reminders_schedule(hearing=obj)  # a new date moves the reminders


@admin.register(HearingReminder)
class HearingReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["hearing", "recipient", "lead_days", "status", "due_at", "sent_at", "attempts", "last_error"]
    list_filter = ["status", "lead_days"]
    search_fields = ["hearing__bill__identifier", "recipient__email"]
    list_select_related = ["hearing__bill__session", "recipient"]

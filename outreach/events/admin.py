"""Admin of events, registrations and event reminders."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outreach.events.models import Event, EventReminder, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "email", "status", "language", "checked_in_at", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "status", "format", "language", "area", "topic", "capacity", "reserved_seats"]
    list_filter = ["status", "format", "language", "topic", "area"]
    search_fields = ["title", "title_es", "venue_name", "venue_address"]
    date_hierarchy = "starts_at"
    list_select_related = ["area", "topic"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["public_id", "capacity_alert_sent_at", "cancelled_at"]
    autocomplete_fields = ["owner"]
    inlines = [RegistrationInline]
    fieldsets = [
        (None, {"fields": ["title", "title_es", "slug", "status", "owner", "public_id"]}),
        (_("Text"), {"fields": ["summary", "summary_es", "description", "description_es", "agenda", "agenda_es"]}),
        (_("Image"), {"fields": ["image", "image_alt", "image_alt_es"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("starts_at", "ends_at"),
                    "format",
                    "language",
                    "topic",
                    "area",
                    "venue_name",
                    "venue_address",
                    ("latitude", "longitude"),
                    "online_url",
                    "accessibility",
                    "accessibility_es",
                ]
            },
        ),
        (
            _("Registration"),
            {
                "fields": [
                    ("capacity", "reserved_seats"),
                    ("registration_opens_at", "registration_closes_at"),
                    "capacity_alert_sent_at",
                    "cancelled_at",
                ]
            },
        ),
    ]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "status", "language", "checked_in_at", "created_at"]
    list_filter = ["status", "language", "event"]
    search_fields = ["name", "email", "event__title"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"
    readonly_fields = ["public_id", "token", "promoted_at", "cancelled_at", "checked_in_at", "checked_in_by"]
    exclude = ["token"]


@admin.register(EventReminder)
class EventReminderAdmin(admin.ModelAdmin):
    list_display = ["registration", "kind", "due_at", "status", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["registration__email", "registration__event__title"]
    list_select_related = ["registration__event"]
    date_hierarchy = "due_at"

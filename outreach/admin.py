from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outreach.models import (
    Event,
    EventReminder,
    PresentationReminder,
    PresentationRequest,
    Program,
    Registration,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_es", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "language", "format", "length_minutes", "is_active", "order"]
    list_filter = ["audience", "language", "format", "is_active", "topics"]
    list_editable = ["is_active", "order"]
    search_fields = ["title", "title_es", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]


class PresentationReminderInline(admin.TabularInline):
    model = PresentationReminder
    extra = 0
    fields = ["due_at", "status", "scheduled_for", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PresentationRequest)
class PresentationRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "program", "status", "scheduled_for", "presenter", "created_at"]
    list_filter = ["status", "audience", "presentation_language", "program"]
    search_fields = ["reference", "organisation", "contact_name", "contact_email"]
    date_hierarchy = "created_at"
    list_select_related = ["program", "presenter"]
    readonly_fields = ["reference", "public_id", "submission_key", "created_at"]
    inlines = [PresentationReminderInline]


@admin.register(PresentationReminder)
class PresentationReminderAdmin(admin.ModelAdmin):
    list_display = ["request", "due_at", "status", "scheduled_for", "finished_at"]
    list_filter = ["status"]
    search_fields = ["request__reference", "request__organisation"]
    list_select_related = ["request"]
    date_hierarchy = "due_at"


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


# The other parts of the unit register their models in modules of their own.
from outreach import admin_dialogues  # noqa: E402, F401
from outreach.media import admin as admin_media  # noqa: E402, F401
from outreach.social import admin as admin_social  # noqa: E402, F401

"""Admin of events, registrations and event reminders. A changed event is saved through
outreach.events.services_changes.event_admin_save, like the staff pages' changes: seats added
go to the wait list first, a move tells the registrants, a confirmed seat is never dropped."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from outreach.events import services_changes
from outreach.events.models import Event, EventReminder, Registration


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007  # the admin's fieldsets choose

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is not None and not self.has_error("capacity") and not self.has_error("reserved_seats"):
            try:
                services_changes.event_seats_check(event=self.instance)
            except ValidationError as exc:
                self.add_error(None, exc)


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "email", "status", "language", "checked_in_at", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "starts_at", "status", "format", "language", "area", "topic", "capacity", "reserved_seats"]
    list_filter = ["status", "format", "language", "topic", "area"]
    search_fields = ["title", "title_es", "venue_name", "venue_address"]
    date_hierarchy = "starts_at"
    list_select_related = ["area", "topic"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["public_id", "capacity_alert_sent_at", "cancelled_at", "sequence"]
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
                    "sequence",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if change:
            services_changes.event_admin_save(event=obj, actor=request.user)
        else:
            super().save_model(request, obj, form, change)


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

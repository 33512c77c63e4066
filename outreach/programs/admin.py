"""Admin of topics, programs, presentation requests and their reminders."""

from django.contrib import admin

from outreach.programs.models import PresentationReminder, PresentationRequest, Program, Topic


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

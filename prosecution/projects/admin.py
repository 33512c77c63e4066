"""Admin of problem-solving projects."""

from django.contrib import admin

from prosecution.projects.models import OwnerContact, Project, ProjectAction, ProjectConcern, ProjectPartner


class ProjectConcernInline(admin.TabularInline):
    model = ProjectConcern
    extra = 0
    fields = ["concern", "added_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    fields = ["partner", "role"]
    autocomplete_fields = ["partner"]


class ProjectActionInline(admin.TabularInline):
    model = ProjectAction
    extra = 0
    fields = ["description", "owner", "owner_partner", "due_on", "done_at"]
    autocomplete_fields = ["owner"]


class OwnerContactInline(admin.TabularInline):
    model = OwnerContact
    extra = 0
    fields = ["contacted_on", "method", "contact_name", "summary", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "address", "is_public", "is_repeat_location", "owner", "response_started_on"]
    list_filter = ["stage", "is_public", "is_repeat_location", "areas"]
    search_fields = ["title", "address", "parcel_number"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["areas"]
    readonly_fields = [
        "public_id",
        "public_latitude",
        "public_longitude",
        "is_repeat_location",
        "is_public",
        "closed_at",
        "created_at",
    ]
    inlines = [ProjectConcernInline, ProjectPartnerInline, ProjectActionInline, OwnerContactInline]


@admin.register(ProjectAction)
class ProjectActionAdmin(admin.ModelAdmin):
    list_display = ["description", "project", "owner", "owner_partner", "due_on", "done_at"]
    list_filter = ["due_on", "done_at"]
    search_fields = ["description", "project__title"]
    list_select_related = ["project", "owner", "owner_partner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["public_id"]


@admin.register(OwnerContact)
class OwnerContactAdmin(admin.ModelAdmin):
    list_display = ["contacted_on", "project", "method", "contact_name", "recorded_by"]
    list_filter = ["method", "contacted_on"]
    search_fields = ["contact_name", "summary", "project__title"]
    list_select_related = ["project", "recorded_by"]
    date_hierarchy = "contacted_on"

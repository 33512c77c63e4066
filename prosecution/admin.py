from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prosecution.models import Category, Concern, ConcernPhoto, ConcernUpdate, Question


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("code", "datatype", "required", "order"),
        ("prompt", "prompt_es"),
        ("help_text", "help_text_es"),
        "options",
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "is_sensitive", "duplicate_radius_m", "is_active", "order"]
    list_filter = ["is_sensitive", "is_active", "group"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "name_es", "code"]
    inlines = [QuestionInline]


class ConcernPhotoInline(admin.TabularInline):
    model = ConcernPhoto
    extra = 0
    fields = ["image", "thumbnail", "width", "height", "is_hidden"]
    readonly_fields = ["image", "thumbnail", "width", "height"]


class ConcernUpdateInline(admin.TabularInline):
    model = ConcernUpdate
    extra = 0
    fields = ["created_at", "kind", "author", "text", "status_from", "status_to"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "category", "status", "priority", "assignee", "created_at", "is_sensitive"]
    list_filter = ["status", "category", "priority", "is_sensitive", "source", "areas"]
    search_fields = ["tracking_code", "address", "description", "contact_email"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "assignee"]
    readonly_fields = [
        "public_id",
        "tracking_code",
        "submission_key",
        "source",
        "is_sensitive",
        "public_latitude",
        "public_longitude",
        "acknowledged_at",
        "resolved_at",
        "reopened_count",
        "created_at",
    ]
    autocomplete_fields = ["assignee"]
    filter_horizontal = ["areas"]
    inlines = [ConcernPhotoInline, ConcernUpdateInline]
    fieldsets = [
        (
            None,
            {"fields": ["tracking_code", "public_id", "category", "status", "priority", "assignee", "close_reason"]},
        ),
        (
            _("What and where"),
            {
                "fields": [
                    "description",
                    "public_description",
                    "answers",
                    "when_happens",
                    "address",
                    "latitude",
                    "longitude",
                    "public_latitude",
                    "public_longitude",
                    "areas",
                ]
            },
        ),
        (_("Resident"), {"fields": ["contact_name", "contact_email", "contact_phone", "language"]}),
        (
            _("Record"),
            {
                "fields": [
                    "source",
                    "submission_key",
                    "is_sensitive",
                    "created_at",
                    "acknowledged_at",
                    "resolved_at",
                    "reopened_count",
                    "expected_by",
                ]
            },
        ),
    ]

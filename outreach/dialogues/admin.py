"""Admin of the community dialogues. The lottery's seed never shows here: its commitment does,
and the seed is published with the draw record once drawn."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outreach.dialogues.models import (
    DialogueApplication,
    DialogueSeats,
    DialogueSeries,
    DialogueSession,
    Recommendation,
    Subcommittee,
)


class DialogueSessionInline(admin.TabularInline):
    model = DialogueSession
    extra = 0
    fields = ["district", "starts_at", "ends_at", "location"]


@admin.register(DialogueSeries)
class DialogueSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "applications_open_at", "applications_close_at", "drawn_at"]
    list_filter = ["status", "draw_automatically"]
    search_fields = ["title", "title_es", "slug"]
    date_hierarchy = "applications_open_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["public_id", "commitment", "drawn_at", "drawn_by", "created_at"]
    inlines = [DialogueSessionInline]
    fieldsets = [
        (None, {"fields": ["title", "title_es", "slug", "status", "public_id"]}),
        (_("Texts"), {"fields": ["description", "description_es", "commitments", "commitments_es"]}),
        (
            _("Applications and lottery"),
            {
                "fields": [
                    "applications_open_at",
                    "applications_close_at",
                    "response_days",
                    "draw_automatically",
                    "commitment",
                    "drawn_at",
                    "drawn_by",
                ]
            },
        ),
    ]

    @admin.display(description=_("commitment (SHA-256 of the secret seed)"))
    def commitment(self, obj):
        return obj.commitment if obj and obj.pk else ""


class DialogueSeatsInline(admin.TabularInline):
    model = DialogueSeats
    extra = 0


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin):
    list_display = ["series", "district", "starts_at", "ends_at"]
    list_filter = ["series", "district"]
    search_fields = ["series__title", "district__name", "location"]
    list_select_related = ["series", "district"]
    inlines = [DialogueSeatsInline]


@admin.register(DialogueSeats)
class DialogueSeatsAdmin(admin.ModelAdmin):
    list_display = ["session", "group", "seats"]
    list_filter = ["group", "session__series", "session__district"]
    search_fields = ["session__district__name", "session__series__title"]
    list_select_related = ["session__series", "session__district"]


@admin.register(DialogueApplication)
class DialogueApplicationAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "series", "district", "group", "status", "waitlist_rank", "merged_count", "created_at"]
    list_filter = ["status", "group", "series", "district", "eligibility_overridden", "language"]
    search_fields = ["pseudonym", "name", "email", "phone"]
    date_hierarchy = "created_at"
    list_select_related = ["series", "district"]
    readonly_fields = [
        "public_id",
        "pseudonym",
        "status",
        "ineligible_reason",
        "eligibility_overridden",
        "override_reason",
        "waitlist_rank",
        "response_deadline",
        "responded_at",
        "merged_count",
        "merge_log",
        "created_at",
    ]
    exclude = ["phone_digits", "response_token"]

    def has_add_permission(self, request):
        return False  # residents apply on the public form; its service checks and merges


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = [
        ("title", "title_es"),
        ("summary", "summary_es"),
        ("submitted_on", "status", "order"),
        ("response", "response_es"),
        "response_on",
        ("progress_percent",),
        ("progress_note", "progress_note_es"),
    ]


@admin.register(Subcommittee)
class SubcommitteeAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "order"]
    list_filter = ["series"]
    search_fields = ["title", "title_es", "description"]
    list_select_related = ["series"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["title", "subcommittee", "status", "progress_percent", "submitted_on", "response_on"]
    list_filter = ["status", "subcommittee__series", "subcommittee"]
    search_fields = ["title", "title_es", "summary", "response"]
    list_select_related = ["subcommittee"]
    readonly_fields = ["public_id"]

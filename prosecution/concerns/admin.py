"""Admin of concerns, their categories, response templates, service levels and overdue digests."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prosecution.concerns.models import (
    Concern,
    ConcernPhoto,
    ConcernUpdate,
    OverdueDigest,
    ResponseTemplate,
    ServiceLevel,
)
from prosecution.concerns.models_categories import Category, Question
from prosecution.concerns.models_follow import AreaAlert, ConcernFollow
from prosecution.concerns.models_queue import SavedQueueFilter


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
    fields = ["image", "thumbnail", "width", "height", "is_hidden", "public_id", "public_image", "redactions"]
    # Hiding and blurring go through the concern's staff page (new public address, audit entry).
    readonly_fields = fields


class ConcernUpdateInline(admin.TabularInline):
    model = ConcernUpdate
    extra = 0
    fields = ["created_at", "kind", "author", "text", "status_from", "status_to"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_code",
        "category",
        "status",
        "close_reason",
        "priority",
        "assignee",
        "created_at",
        "acknowledge_by",
        "resolve_by",
        "is_sensitive",
    ]
    list_filter = ["status", "close_reason", "category", "priority", "is_sensitive", "source", "areas"]
    search_fields = ["tracking_code", "public_ref", "address", "description", "contact_email"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "assignee"]
    readonly_fields = [
        "acknowledge_by",
        "resolve_by",
        "duplicate_of",
        "public_id",
        "tracking_code",
        "public_ref",
        # Reviewed on the concern's staff page (audited), not here.
        "public_text_state",
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

    def has_change_permission(self, request, obj=None):
        # A concern changes on its staff page, where the services notify the resident, keep the
        # service-level clock and write the public update; the roles read it here. Superusers
        # keep the raw form for data repairs.
        return request.user.is_superuser

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "tracking_code",
                    "public_ref",
                    "public_id",
                    "category",
                    "status",
                    "priority",
                    "assignee",
                    "close_reason",
                    "close_detail",
                    "duplicate_of",
                ]
            },
        ),
        (
            _("What and where"),
            {
                "fields": [
                    "description",
                    "public_description",
                    "public_text_state",
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
                    "acknowledge_by",
                    "resolve_by",
                ]
            },
        ),
    ]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    """Ready-made public updates offered on a concern's status form."""

    list_display = ["title", "category", "status", "is_active", "order", "updated_at"]
    list_filter = ["is_active", "status", "category"]
    list_editable = ["is_active", "order"]
    search_fields = ["title", "text", "text_es"]
    list_select_related = ["category"]
    fields = ["title", ("category", "status"), "text", "text_es", ("is_active", "order")]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    """Business days to acknowledge and to resolve a concern; the most specific row wins. A
    change applies to concerns received or recategorised from then on."""

    list_display = ["__str__", "category", "priority", "acknowledge_days", "resolve_days"]
    list_filter = ["priority", "category"]
    list_editable = ["acknowledge_days", "resolve_days"]
    search_fields = ["category__name", "category__code"]
    list_select_related = ["category"]


@admin.register(OverdueDigest)
class OverdueDigestAdmin(admin.ModelAdmin):
    """The daily overdue digests that were queued (read only: one per person per day)."""

    list_display = ["day", "recipient", "concern_count", "email"]
    list_filter = ["day"]
    search_fields = ["recipient__email", "recipient__full_name"]
    date_hierarchy = "day"
    list_select_related = ["recipient", "email"]
    readonly_fields = ["recipient", "day", "concern_count", "email", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Residents' own requests: they change through their e-mailed links, not here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConcernFollow)
class ConcernFollowAdmin(_ReadOnlyAdmin):
    """Addresses following a concern (double opt-in); unfollowing is in every update e-mail."""

    list_display = ["concern", "status", "language", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email", "concern__public_ref"]
    list_select_related = ["concern"]
    readonly_fields = ["concern", "email", "language", "status", "confirm_sent_at", "confirmed_at", "unsubscribed_at"]
    fields = readonly_fields


@admin.register(AreaAlert)
class AreaAlertAdmin(_ReadOnlyAdmin):
    """Addresses receiving the daily e-mail of new concerns in a police district."""

    list_display = ["area", "status", "language", "created_at", "confirmed_at"]
    list_filter = ["status", "language", "area"]
    search_fields = ["email"]
    list_select_related = ["area"]
    readonly_fields = ["area", "email", "language", "status", "confirm_sent_at", "confirmed_at", "unsubscribed_at"]
    fields = readonly_fields


@admin.register(SavedQueueFilter)
class SavedQueueFilterAdmin(admin.ModelAdmin):
    """The filters each person saved on the triage queue (they save and reset them there)."""

    list_display = ["user", "updated_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "params", "created_at", "updated_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

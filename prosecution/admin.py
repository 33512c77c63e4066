from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from prosecution.models import (
    Category,
    Concern,
    ConcernPhoto,
    ConcernStat,
    ConcernStatsBuild,
    ConcernUpdate,
    FollowUp,
    Open311Client,
    OverdueDigest,
    OwnerContact,
    Partner,
    PartnerContact,
    Project,
    ProjectAction,
    ProjectConcern,
    ProjectPartner,
    Question,
    Referral,
    ResponseTemplate,
    ServiceLevel,
)


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


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Clients of the Open311 API. A key is created here and shown once, in the message after
    saving; only its hash and prefix are kept."""

    list_display = ["name", "key_prefix", "contact_email", "is_active", "revoked_at", "last_used_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email", "key_prefix"]
    fields = ["name", "contact_email", "key_prefix", "is_active", "revoked_at", "last_used_at", "created_at"]
    readonly_fields = ["key_prefix", "is_active", "revoked_at", "last_used_at", "created_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        from prosecution.open311.keys import open311_client_create

        client, key = open311_client_create(name=obj.name, contact_email=obj.contact_email, actor=request.user)
        obj.pk = client.pk
        obj.key_prefix = client.key_prefix
        obj.key_hash = client.key_hash
        obj.created_at = client.created_at
        obj._state.adding = False
        obj._state.db = client._state.db
        messages.warning(
            request,
            _("The API key of %(name)s is %(key)s. Copy it now: it will not be shown again.")
            % {"name": client.name, "key": key},
        )

    @admin.action(description=_("Revoke the keys of the selected clients"))
    def revoke(self, request, queryset):
        from prosecution.open311.keys import open311_client_revoke

        for client in queryset:
            open311_client_revoke(client=client, actor=request.user)
        messages.success(request, _("The selected keys were revoked."))


# --- Transparency: the precomputed figures and their rebuilds (read-only) -------------------


@admin.register(ConcernStat)
class ConcernStatAdmin(admin.ModelAdmin):
    """The dashboard's figures as the last rebuild stored them (recomputed, never edited)."""

    list_display = [
        "period",
        "month",
        "category",
        "area",
        "received",
        "open",
        "resolved",
        "closed",
        "median_response_days",
        "median_resolution_days",
    ]
    list_filter = ["period", "category", "area__kind", "category__is_sensitive"]
    search_fields = ["category__code", "category__name", "area__name", "area__slug"]
    list_select_related = ["category", "area"]
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(ConcernStatsBuild)
class ConcernStatsBuildAdmin(admin.ModelAdmin):
    """Each rebuild of the figures and open-data files (`manage.py concern_stats_rebuild`, or
    the action here, recomputes them at once; beat does it every 15 minutes)."""

    list_display = ["computed_at", "method", "concerns", "rows", "open_data_rows", "duration_ms"]
    list_filter = ["method"]
    search_fields = ["concerns_csv", "concerns_json"]
    date_hierarchy = "computed_at"
    actions = ["rebuild_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Recompute the figures and open data now"), permissions=["view"])
    def rebuild_now(self, request, queryset):
        from prosecution.transparency.services import concern_stats_rebuild

        build = concern_stats_rebuild()
        messages.success(
            request,
            _("Figures recomputed: %(rows)s rows from %(concerns)s concerns in %(ms)s ms.")
            % {"rows": build.rows, "concerns": build.concerns, "ms": build.duration_ms},
        )


# --- Partners, referrals, problem-solving projects, follow-ups


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    fields = ["name", "role", "email", "phone", "is_primary"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "jurisdiction", "phone", "is_active", "updated_at"]
    list_filter = ["kind", "is_active", "categories", "areas"]
    search_fields = ["name", "jurisdiction", "contacts__name", "contacts__email"]
    filter_horizontal = ["areas", "categories"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [PartnerContactInline]


@admin.register(PartnerContact)
class PartnerContactAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "role", "email", "phone", "is_primary"]
    list_filter = ["is_primary", "partner__kind"]
    search_fields = ["name", "email", "role", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["public_id"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """A referral is made from the concern page (it also moves the concern and e-mails the
    partner), so here it can only be read."""

    list_display = ["concern", "partner", "contact", "to_email", "referred_by", "created_at"]
    list_filter = ["partner", "created_at"]
    search_fields = ["concern__tracking_code", "partner__name", "to_email"]
    list_select_related = ["concern", "concern__category", "partner", "contact", "referred_by"]
    date_hierarchy = "created_at"
    fields = ["public_id", "concern", "partner", "contact", "to_email", "message", "referred_by", "email", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """The "is it fixed?" questions: written by the hourly task and the resident's answer only."""

    list_display = ["concern", "sent_at", "answer", "answered_at"]
    list_filter = ["answer", "sent_at"]
    search_fields = ["concern__tracking_code"]
    list_select_related = ["concern", "concern__category"]
    fields = ["concern", "resolved_at", "sent_at", "answer", "answered_at", "email"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from prosecution.models import Category, Concern, ConcernPhoto, ConcernUpdate, Open311Client, Question


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

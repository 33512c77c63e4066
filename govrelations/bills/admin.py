from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from govrelations.bills import services
from govrelations.bills.models import (
    ApiUsage,
    Bill,
    BillAbstract,
    BillAction,
    BillAlert,
    BillComment,
    BillDocument,
    BillFollow,
    BillSponsorship,
    DigestSubscription,
    ImplementationTask,
    Jurisdiction,
    LegislativeSession,
    RelatedBill,
    Subject,
    SyncCursor,
    SyncError,
    SyncRun,
    SyncTarget,
    VoteSummary,
)
from govrelations.hearings.models import Hearing
from govrelations.hearings.services import hearing_reminders_schedule


class ReadOnlyAdminMixin:
    """Rows written by workers (deliveries, sync runs): visible, not edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "classification", "ocd_id"]
    list_filter = ["classification"]
    search_fields = ["name", "ocd_id"]


@admin.register(LegislativeSession)
class LegislativeSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier", "jurisdiction", "start_date", "end_date"]
    list_filter = ["jurisdiction"]
    search_fields = ["name", "identifier"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class AbstractInline(admin.StackedInline):
    model = BillAbstract
    extra = 0


class SponsorshipInline(admin.TabularInline):
    model = BillSponsorship
    extra = 0


class ActionInline(admin.TabularInline):
    model = BillAction
    extra = 0


class DocumentInline(admin.StackedInline):
    model = BillDocument
    extra = 0


class VoteInline(admin.TabularInline):
    model = VoteSummary
    extra = 0


class RelatedBillInline(admin.TabularInline):
    model = RelatedBill
    fk_name = "bill"
    extra = 0
    raw_id_fields = ["related"]


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0
    fields = ["starts_at", "committee", "location", "notes"]


class CommentInline(admin.TabularInline):
    model = BillComment
    extra = 0
    fields = ["author", "text"]
    raw_id_fields = ["author"]


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    list_display = [
        "identifier",
        "session",
        "short_title",
        "status",
        "is_watched",
        "priority",
        "analyst",
        "latest_action_date",
        "source_updated_at",
    ]
    list_filter = ["session", "status", "is_watched", "priority", "jurisdiction", "subjects"]
    search_fields = ["identifier", "title", "open_states_id"]
    list_select_related = ["session__jurisdiction", "analyst"]
    raw_id_fields = ["analyst"]
    filter_horizontal = ["subjects"]
    readonly_fields = ["public_id", "source_hash"]
    date_hierarchy = "latest_action_date"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [
        AbstractInline,
        SponsorshipInline,
        ActionInline,
        DocumentInline,
        VoteInline,
        RelatedBillInline,
        HearingInline,
        CommentInline,
    ]

    @admin.display(description=Bill._meta.get_field("title").verbose_name)
    def short_title(self, obj):
        return obj.title[:80]

    def save_related(self, request, form, formsets, change):
        """Hearings entered or moved here, or a new analyst, re-plan the reminders."""
        super().save_related(request, form, formsets, change)
        for hearing in form.instance.hearings.all():
            hearing_reminders_schedule(hearing=hearing)


@admin.register(BillFollow)
class BillFollowAdmin(admin.ModelAdmin):
    list_display = ["bill", "user", "created_at"]
    search_fields = ["bill__identifier", "user__email"]
    list_select_related = ["bill__session", "user"]
    raw_id_fields = ["bill", "user"]


@admin.register(BillAlert)
class BillAlertAdmin(admin.ModelAdmin):
    """Every alert is a row: a failed delivery shows here and can be sent again."""

    list_display = ["bill", "recipient", "action_date", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["bill__identifier", "recipient__email", "action_description"]
    list_select_related = ["bill__session", "recipient"]
    readonly_fields = [f.name for f in BillAlert._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed alerts again"), permissions=["change"])
    def retry(self, request, queryset):
        done = 0
        for alert in queryset:
            try:
                services.bill_alert_retry(alert=alert, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{alert}: {' '.join(exc.messages)}", messages.WARNING)
        self.message_user(request, _("%(count)d alerts queued again.") % {"count": done}, messages.SUCCESS)


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "is_active", "last_sent_at"]
    list_filter = ["is_active"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(ImplementationTask)
class ImplementationTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "bill", "kind", "owner", "due_on", "completed_at"]
    list_filter = ["kind", ("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "bill__identifier"]
    list_select_related = ["bill__session", "owner"]
    raw_id_fields = ["bill", "owner", "completed_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(BillComment)
class BillCommentAdmin(admin.ModelAdmin):
    list_display = ["bill", "author", "created_at"]
    search_fields = ["bill__identifier", "text"]
    list_select_related = ["bill__session", "author"]
    raw_id_fields = ["bill", "author"]


@admin.register(SyncTarget)
class SyncTargetAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "session", "subject", "query", "is_active", "last_synced_at"]
    list_filter = ["is_active", "jurisdiction"]
    search_fields = ["jurisdiction", "subject", "query"]


class SyncErrorInline(admin.TabularInline):
    model = SyncError
    extra = 0
    fields = ["identifier", "open_states_id", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "started_at",
        "finished_at",
        "target",
        "status",
        "pages",
        "requests",
        "throttled",
        "created",
        "updated",
        "unchanged",
        "skipped",
    ]
    list_filter = ["status"]
    search_fields = ["error"]
    inlines = [SyncErrorInline]


@admin.register(SyncError)
class SyncErrorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["run", "identifier", "open_states_id", "reason"]
    search_fields = ["identifier", "open_states_id", "reason"]
    list_select_related = ["run"]


@admin.register(SyncCursor)
class SyncCursorAdmin(admin.ModelAdmin):
    """Where unfinished queries resume. Delete one to make its next run start afresh."""

    list_display = ["jurisdiction", "session", "subject", "query", "updated_since", "page", "run", "updated_at"]
    readonly_fields = ["target", "jurisdiction", "session", "subject", "query", "updated_since", "page", "run"]
    list_select_related = ["run"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiUsage)
class ApiUsageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["day", "requests", "throttled"]

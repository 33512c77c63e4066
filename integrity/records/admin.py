"""Admin of the confidential records: only JTI members see them (ConfidentialAdminMixin),
reads and saves are logged, nothing is deleted. Eligibility criteria and deadline rules are
data the JTI staff keep here."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrity.records import services, services_retention
from integrity.records.access import ConfidentialAdminMixin
from integrity.records.models import (
    Allegation,
    AllegationAttachment,
    Claim,
    ClaimScreening,
    CourtOrder,
    CourtReferral,
    DeadlineRule,
    DisclosureEntry,
    DisclosureLog,
    EligibilityCriterion,
    EvidenceItem,
    ExternalReviewNote,
    RecordDeadline,
    RecordStep,
    TestingRequest,
)
from integrity.records.models_retention import DispositionItem, DispositionRun, RetentionSchedule
from integrity.records.models_testing import TestingContinuance
from jcr.accounts import roles

RETENTION = ("is_deleted", "deleted_at", "retention_until", "legal_hold")
# Computed from the schedule (integrity/records/retention.py) or set on the record's staff
# page, where only an extension with a reason is accepted: shown here, never edited.
RETENTION_COMPUTED = (
    "retention_until",
    "retention_schedule",
    "retention_extended_until",
    "retention_extension_reason",
    "closed_on",
    "case_final_on",
)


class ConfidentialAdmin(ConfidentialAdminMixin, admin.ModelAdmin):
    pass


class HeldRecordForm(forms.ModelForm):
    """Ticking "deleted" on a record on legal hold (stored, or set in the same form) is
    refused here, through the service's rule, and the refusal is logged; the database
    constraint refuses it even if this were skipped."""

    request = None  # set by RecordAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        stored = type(self.instance).objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        deleting = cleaned.get("is_deleted") and not (stored and stored.is_deleted)
        held_now = bool(stored and stored.legal_hold)
        if deleting and (held_now or cleaned.get("legal_hold")):
            try:
                services.record_hold_check(
                    record=stored or self.instance,
                    actor=getattr(self.request, "user", None),
                    attempt=services.DELETE,
                    route="admin:change",
                    on_hold=not held_now,
                )
            except ValidationError as exc:
                self.add_error("is_deleted", exc)
        elif cleaned.get("is_deleted") and cleaned.get("legal_hold"):
            self.add_error("legal_hold", _("A deleted record cannot be put on legal hold: restore it first."))
        return cleaned


class RecordAdmin(ConfidentialAdmin):
    """The admin of a record with a retention date and a legal hold: the change form refuses
    deletion under hold; the bulk actions go through the services (each held record refused
    and logged); the delete page stays closed, and an attempt on a held record is logged."""

    form = HeldRecordForm
    actions = ["mark_deleted", "dispose_of_selected"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *RETENTION_COMPUTED)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request
        return form

    def delete_view(self, request, object_id, extra_context=None):
        """Closed (no delete permission). An attempt on a held record is logged, and answered
        with the 403 page rather than an exception, so the request's transaction keeps the entry."""
        held = None
        if str(object_id).isdigit() and self.has_view_permission(request):
            held = self.get_queryset(request).filter(pk=object_id, legal_hold=True).first()
        if held is None:
            return super().delete_view(request, object_id, extra_context)
        with contextlib.suppress(ValidationError):  # logged; the answer is the 403 page
            services.record_hold_check(record=held, actor=request.user, attempt=services.DELETE, route="admin:delete")
        return response_for_exception(request, PermissionDenied())

    def _each(self, request, queryset, service, **kwargs) -> None:
        done, refused = 0, []
        for record in queryset:
            try:
                service(record=record, actor=request.user, route="admin:action", **kwargs)
            except ValidationError as exc:
                refused.append(f"{record}: {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request, ngettext("%(count)d record done.", "%(count)d records done.", done) % {"count": done}
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(permissions=["change"], description=_("Delete the selected records (kept in the database)"))
    def mark_deleted(self, request, queryset):
        self._each(request, queryset, services.record_soft_delete, reason=str(_("Deleted from the admin list")))

    @admin.action(permissions=["change"], description=_("Dispose of the selected records past their retention date"))
    def dispose_of_selected(self, request, queryset):
        self._each(request, queryset, services.record_dispose, note=str(_("Disposed of from the admin list")))


class AttachmentInline(ConfidentialAdminMixin, admin.TabularInline):
    model = AllegationAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "created_at")
    readonly_fields = fields


class CourtReferralInline(ConfidentialAdminMixin, admin.TabularInline):
    model = CourtReferral
    extra = 0


@admin.register(Allegation)
class AllegationAdmin(RecordAdmin):
    list_display = (
        "receipt_number",
        "created_at",
        "source",
        "status",
        "finding",
        "assigned_to",
        "legal_hold",
        "is_deleted",
    )
    list_filter = ("status", "finding", "source", "legal_hold", "is_deleted")
    search_fields = ("receipt_number", "case_number", "subject")
    readonly_fields = ("receipt_number", "public_id", "created_at", "deleted_at")
    raw_id_fields = ("assigned_to",)
    inlines = [AttachmentInline, CourtReferralInline]


@admin.register(AllegationAttachment)
class AllegationAttachmentAdmin(ConfidentialAdmin):
    """The file lives in the private storage, which has no URL: it is downloaded from the
    staff page (recent sign-in, each download logged), linked here."""

    list_display = ("original_name", "allegation", "content_type", "size", "created_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "allegation__receipt_number")
    fields = ("allegation", "original_name", "content_type", "size", "download")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj is None or not obj.pk:
            return "—"
        url = reverse(
            "integrity:allegation_attachment",
            kwargs={"public_id": obj.allegation.public_id, "attachment_id": obj.pk},
        )
        return format_html('<a href="{}">{}</a>', url, _("Download (logged)"))


@admin.register(CourtReferral)
class CourtReferralAdmin(ConfidentialAdmin):
    list_display = ("allegation", "court", "referred_on", "reference")
    list_filter = ("referred_on",)
    search_fields = ("court", "reference", "allegation__receipt_number")
    raw_id_fields = ("allegation",)


@admin.register(RecordStep)
class RecordStepAdmin(ConfidentialAdmin):
    list_display = ("at", "record_type", "record_id", "step", "actor")
    list_filter = ("record_type", "step")
    search_fields = ("step", "note")
    readonly_fields = ("at", "record_type", "record_id", "actor", "step", "note")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecordDeadline)
class RecordDeadlineAdmin(ConfidentialAdmin):
    list_display = ("label", "record_type", "record_id", "due_on", "remind_on", "reminded_at", "met_at")
    list_filter = ("record_type", "due_on")
    search_fields = ("label",)
    raw_id_fields = ("remind_to",)


@admin.register(EligibilityCriterion)
class EligibilityCriterionAdmin(ConfidentialAdmin):
    list_display = ("code", "text", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "text")


class ScreeningInline(ConfidentialAdminMixin, admin.TabularInline):
    model = ClaimScreening
    extra = 0


class ReviewNoteInline(ConfidentialAdminMixin, admin.TabularInline):
    model = ExternalReviewNote
    extra = 0


@admin.register(Claim)
class ClaimAdmin(RecordAdmin):
    list_display = ("receipt_number", "created_at", "status", "disposition", "investigator", "legal_hold", "is_deleted")
    list_filter = ("status", "disposition", "has_counsel", "legal_hold", "is_deleted")
    search_fields = ("receipt_number", "case_number")
    # The conflict wall is changed on the claim's staff page only, where its rules hold
    # (integrity/records/services_wall.py): here it is shown, never edited.
    readonly_fields = ("receipt_number", "public_id", "created_at", "deleted_at", "conflicted_users")
    raw_id_fields = ("investigator",)
    inlines = [ScreeningInline, ReviewNoteInline]


@admin.register(ClaimScreening)
class ClaimScreeningAdmin(ConfidentialAdmin):
    list_display = ("claim", "criterion", "met")
    list_filter = ("met", "criterion")
    search_fields = ("claim__receipt_number",)
    raw_id_fields = ("claim",)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(claim__conflicted_users=request.user)


@admin.register(ExternalReviewNote)
class ExternalReviewNoteAdmin(ConfidentialAdmin):
    list_display = ("claim", "reviewer", "created_at")
    list_filter = ("created_at",)
    search_fields = ("reviewer", "claim__receipt_number")
    raw_id_fields = ("claim",)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(claim__conflicted_users=request.user)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ConfidentialAdmin):
    list_display = ("code", "label", "days", "from_event", "remind_days_before", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "label")


class EvidenceInline(ConfidentialAdminMixin, admin.TabularInline):
    model = EvidenceItem
    extra = 0


class CourtOrderInline(ConfidentialAdminMixin, admin.TabularInline):
    model = CourtOrder
    extra = 0


class ContinuanceInline(ConfidentialAdminMixin, admin.TabularInline):
    """Read only: a continuance is recorded on the staff pages, which re-plan the reminders."""

    model = TestingContinuance
    extra = 0
    fields = readonly_fields = ("ordered_on", "previous_due", "response_due", "cause", "recorded_by", "recorded_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TestingRequest)
class TestingRequestAdmin(RecordAdmin):
    list_display = ("case_number", "petitioner", "court", "served_on", "response_due", "status", "is_deleted")
    list_filter = ("status", "legal_hold", "is_deleted")
    search_fields = ("case_number", "petitioner", "court")
    # The due date and its rules are computed from the service dates (rules registry).
    readonly_fields = (
        "public_id",
        "created_at",
        "deleted_at",
        "served_on",
        "served_ag_on",
        "served_da_on",
        "briefing_extension",
        "rule",
        "response_rule",
        "extension_rule",
        "response_due",
        "response_due_kept",
        "assigned_to",  # assigned on the staff pages, which check the conflict wall
    )
    inlines = [EvidenceInline, CourtOrderInline, ContinuanceInline]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ConfidentialAdmin):
    list_display = ("description", "request", "location", "custodian", "preservation")
    list_filter = ("preservation",)
    search_fields = ("description", "custodian", "request__case_number")
    raw_id_fields = ("request",)


@admin.register(CourtOrder)
class CourtOrderAdmin(ConfidentialAdmin):
    list_display = ("request", "ordered_on")
    list_filter = ("ordered_on",)
    search_fields = ("request__case_number", "summary")
    raw_id_fields = ("request",)


class DisclosureLogInline(ConfidentialAdminMixin, admin.TabularInline):
    model = DisclosureLog
    extra = 0


@admin.register(DisclosureEntry)
class DisclosureEntryAdmin(RecordAdmin):
    list_display = ("officer_name", "agency", "basis", "reconsideration", "is_active", "is_deleted")
    list_filter = ("basis", "reconsideration", "is_active", "legal_hold", "is_deleted")
    search_fields = ("officer_name", "agency")
    readonly_fields = ("public_id", "created_at", "deleted_at")
    inlines = [DisclosureLogInline]


@admin.register(DisclosureLog)
class DisclosureLogAdmin(ConfidentialAdmin):
    list_display = ("entry", "case_number", "disclosed_on", "disclosed_to")
    list_filter = ("disclosed_on",)
    search_fields = ("case_number", "entry__officer_name")
    raw_id_fields = ("entry",)


# --- Retention schedules and disposition runs ---------------------------------------------


def is_jti_chief(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name=roles.JTI_CHIEF).exists()))


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(admin.ModelAdmin):
    """Only the JTI Chief (and superusers) add or change a schedule; every change is in the
    audit trail (the admin site's mixin), and saving one recomputes its kind of record's
    retention dates. Nothing is deleted: a schedule ends with its "in force until" date."""

    list_display = ("name", "record_type", "period_years", "period_months", "trigger", "disposition")
    list_display += ("citation", "effective_from", "effective_to", "verified_on")
    list_filter = ("record_type", "disposition", "trigger")
    search_fields = ("name", "citation", "notes")
    raw_id_fields = ("verified_by",)
    readonly_fields = ("created_at", "updated_at")

    def has_add_permission(self, request):
        return is_jti_chief(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_jti_chief(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        count = services_retention.schedule_saved(schedule=obj)
        self.message_user(
            request,
            ngettext(
                "%(count)d record's retention date was recomputed.",
                "%(count)d records' retention dates were recomputed.",
                count,
            )
            % {"count": count},
        )


class DispositionItemInline(ConfidentialAdminMixin, admin.TabularInline):
    model = DispositionItem
    extra = 0
    fields = ("label", "record_type", "retention_until", "disposition", "decision", "outcome", "reason", "decided_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, *args):
        return False


@admin.register(DispositionRun)
class DispositionRunAdmin(admin.ModelAdmin):
    """Read-only: runs are listed by the monthly task and approved on the staff page."""

    list_display = ("month", "status", "listed_on", "approved_by", "approved_at")
    list_filter = ("status",)
    readonly_fields = ("month", "status", "listed_on", "approved_by", "approved_at", "summary")
    inlines = [DispositionItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

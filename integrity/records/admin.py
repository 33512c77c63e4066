"""Admin of the confidential records: only JTI members see them (ConfidentialAdminMixin),
reads and saves are logged, nothing is deleted. Eligibility criteria and deadline rules are
data the JTI staff keep here."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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

RETENTION = ("is_deleted", "deleted_at", "retention_until", "legal_hold")


class ConfidentialAdmin(ConfidentialAdminMixin, admin.ModelAdmin):
    pass


class AttachmentInline(ConfidentialAdminMixin, admin.TabularInline):
    model = AllegationAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "created_at")
    readonly_fields = fields


class CourtReferralInline(ConfidentialAdminMixin, admin.TabularInline):
    model = CourtReferral
    extra = 0


@admin.register(Allegation)
class AllegationAdmin(ConfidentialAdmin):
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
class ClaimAdmin(ConfidentialAdmin):
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


@admin.register(TestingRequest)
class TestingRequestAdmin(ConfidentialAdmin):
    list_display = ("case_number", "petitioner", "court", "served_on", "response_due", "status", "is_deleted")
    list_filter = ("status", "rule", "legal_hold", "is_deleted")
    search_fields = ("case_number", "petitioner", "court")
    readonly_fields = ("public_id", "created_at", "deleted_at")
    inlines = [EvidenceInline, CourtOrderInline]


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
class DisclosureEntryAdmin(ConfidentialAdmin):
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

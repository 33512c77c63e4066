"""Admin of partner agencies, referrals and follow-ups."""

from django.contrib import admin

from prosecution.partners.models import FollowUp, Partner, PartnerContact, Referral


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

from django.contrib import admin

from govrelations.positions.models import Position, PositionEvent, PositionLetter


class ReadOnlyAdminMixin:
    """Rows written by the workflow or by workers: visible, not edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PositionEventInline(admin.TabularInline):
    model = PositionEvent
    extra = 0
    fields = ["at", "kind", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LetterInline(admin.TabularInline):
    model = PositionLetter
    extra = 0
    fields = ["committee", "addressee", "sent_on"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    """Positions move only through the staff pages' workflow (propose, approve, return), so
    the history is complete; admin shows them."""

    list_display = ["bill", "stance", "status", "proposed_by", "decided_by", "decided_at", "created_at"]
    list_filter = ["status", "stance", "bill__session"]
    search_fields = ["bill__identifier", "bill__title", "reasons"]
    list_select_related = ["bill__session", "proposed_by", "decided_by"]
    readonly_fields = [
        "public_id",
        "bill",
        "stance",
        "reasons",
        "status",
        "proposed_by",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]
    inlines = [PositionEventInline, LetterInline]

    def has_add_permission(self, request):
        return False


@admin.register(PositionEvent)
class PositionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["position", "kind", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["position__bill__identifier", "comment"]
    list_select_related = ["position__bill__session", "actor"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PositionLetter)
class PositionLetterAdmin(admin.ModelAdmin):
    list_display = ["position", "committee", "addressee", "sent_on", "created_at"]
    list_filter = ["sent_on"]
    search_fields = ["position__bill__identifier", "committee", "addressee"]
    list_select_related = ["position__bill__session"]
    raw_id_fields = ["position", "created_by"]

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcr.core import services
from jcr.core.audit import (
    audit_entries_visible_to,
    confidential_hidden_keys,
    confidential_models,
    confidential_permission,
)
from jcr.core.geo import geometry_validate
from jcr.core.models import Area, AreaAssignment, AuditEntry, OutboundEmail


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only. Entries about confidential objects are left out for anyone without the
    object's permission (and walled objects for the walled): in the list, its search, filters
    and date drill-down, and the detail page, which all start from `get_queryset`."""

    list_display = ["at", "action", "object_type", "object_id", "actor_label", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "action", "request_id", "object_repr"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_queryset(self, request):
        return audit_entries_visible_to(user=request.user, queryset=super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AreaAssignmentInline(admin.TabularInline):
    model = AreaAssignment
    extra = 1
    autocomplete_fields = ["user"]


class AreaAdminForm(admin.ModelAdmin.form):
    def clean_geometry(self):
        geometry = self.cleaned_data["geometry"]
        bbox = geometry_validate(geometry)
        self.instance.min_lon, self.instance.min_lat, self.instance.max_lon, self.instance.max_lat = bbox
        return geometry


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name", "kind", "is_approximate", "source"]
    list_filter = ["kind", "is_approximate"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaAssignmentInline]
    fields = ["kind", "name", "slug", "geometry", "is_approximate", "source"]


MASKED = "••••••"
# What a confidential e-mail shows only to those who may read its record.
CONFIDENTIAL_EMAIL_FIELDS = ("to", "subject", "body_text", "body_html", "headers", "related_id", "last_error")


def outbound_email_readable_q(user) -> Q:
    """The e-mails whose address and text `user` may read: every ordinary one, and a
    confidential one when they may read its record (and no conflict wall hides it)."""
    q = Q(confidential=False)
    for label, model in confidential_models().items():
        if user.has_perm(confidential_permission(model)):
            part = Q(confidential=True, related_type=label)
            if (hidden := confidential_hidden_keys(model, user)) is not None:
                part &= ~Q(related_id__in=hidden)
            q |= part
    if user.is_superuser:
        q |= Q(confidential=True) & ~Q(related_type__in=list(confidential_models()))
    return q


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The delivery queue. A confidential e-mail (about a misconduct complaint, a claim, a
    testing request) shows its status to everyone who runs the queue, but its address,
    subject, text and errors only to those who may read its record; search never matches it
    for others."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "due_at", "sent_at"]
    list_filter = ["status", "language", "template", "confidential"]
    search_fields = ["to", "subject", "related_id"]
    date_hierarchy = "created_at"
    readonly_fields = [*(f.name for f in OutboundEmail._meta.fields), "confidential_note"]
    actions = ["retry"]

    def _readable_ids(self, request) -> set[int]:
        if not hasattr(request, "_outbound_readable"):
            request._outbound_readable = set(
                OutboundEmail.objects.filter(confidential=True)
                .filter(outbound_email_readable_q(request.user))
                .values_list("pk", flat=True)
            )
        return request._outbound_readable

    def readable(self, request, obj) -> bool:
        return obj is None or not obj.confidential or obj.pk in self._readable_ids(request)

    def get_list_display(self, request):
        """Address and subject masked, row by row, for a person who may not read them (the
        columns are bound to this request: the admin instance is shared between requests)."""

        @admin.display(description=_("to"), ordering="to")
        def to_shown(obj):
            return obj.to if self.readable(request, obj) else MASKED

        @admin.display(description=_("subject"))
        def subject_shown(obj):
            return obj.subject if self.readable(request, obj) else _("Confidential e-mail")

        return ["created_at", to_shown, subject_shown, "status", "attempts", "due_at", "sent_at"]

    @admin.display(description=_("content"))
    def confidential_note(self, obj):
        if obj is None or not obj.confidential:
            return "—"
        return _("Confidential: the address, subject and text are shown only to those who may read the record.")

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "confidential_note"]
        if not self.readable(request, obj):
            fields = [f for f in fields if f not in CONFIDENTIAL_EMAIL_FIELDS] + ["confidential_note"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset = queryset.filter(outbound_email_readable_q(request.user))
        return queryset, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["change"])
    def retry(self, request, queryset):
        done = 0
        for email in queryset:
            try:
                services.outbound_email_retry(email=email, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{email}: {' '.join(exc.messages)}", messages.WARNING)
        self.message_user(request, _("%(count)d e-mails queued again.") % {"count": done}, messages.SUCCESS)


from jcr.core import admin_schedules  # noqa: E402, F401  (the periodic tasks' admin, with checks)

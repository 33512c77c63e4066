from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jcr.core import services
from jcr.core.geo import geometry_validate
from jcr.core.models import Area, AreaAssignment, AuditEntry, OutboundEmail


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_type", "object_id", "actor_label", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "action", "request_id", "object_repr"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

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


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "due_at", "sent_at"]
    list_filter = ["status", "language", "template"]
    search_fields = ["to", "subject", "related_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["retry"]

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

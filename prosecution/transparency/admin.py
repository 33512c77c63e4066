"""Admin of the transparency figures and their rebuilds (read-only)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from prosecution.transparency.models import ConcernStat, ConcernStatsBuild
from prosecution.transparency.services import concern_stats_rebuild


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
        build = concern_stats_rebuild()
        messages.success(
            request,
            _("Figures recomputed: %(rows)s rows from %(concerns)s concerns in %(ms)s ms.")
            % {"rows": build.rows, "concerns": build.concerns, "ms": build.duration_ms},
        )

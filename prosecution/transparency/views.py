"""The public concern dashboard and the open-data downloads (see prosecution.transparency).

Both only read precomputed rows and files: the dashboard runs five queries whatever the number
of concerns, and the concern-level download is a file written by the rebuild, streamed from
storage (1M concerns: a 76 MB CSV, streamed in chunks; serving it costs no query beyond the
build row). Measured at 1M concerns: the dashboard renders in about 50-60 ms uncached (five
queries) and 2 ms from the page cache; the figures download (720 kB JSON) in about 135 ms.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from jcr.core.access import public
from jcr.core.caching import cache_public_page
from prosecution.areas import selectors as area_selectors
from prosecution.concerns.models_categories import Category
from prosecution.transparency import services as transparency
from prosecution.transparency.models import ConcernStat

# Downloads may be kept by browsers and proxies this long (the figures change every 15 minutes).
DOWNLOAD_MAX_AGE = 300
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
DATASETS = ("concerns", "figures")
WINDOW_LABELS = {
    ConcernStat.Period.LAST_3: gettext_lazy("Last 3 months"),
    ConcernStat.Period.LAST_12: gettext_lazy("Last 12 months"),
    ConcernStat.Period.LAST_24: gettext_lazy("Last 24 months"),
    ConcernStat.Period.ALL: gettext_lazy("All time"),
}


class DashboardFilterForm(forms.Form):
    """The dashboard's GET filters; an unknown value is a form error (the page answers 400)."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False, choices=list(WINDOW_LABELS.items()))
    category = forms.ChoiceField(label=gettext_lazy("Kind of concern"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)

    def __init__(self, *args, categories, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in categories}
        self.areas = {}
        for area in areas:  # police districts come first: they win a shared slug, as on area pages
            self.areas.setdefault(area.slug, area)
        self.fields["category"].choices = [("", _("All kinds"))] + [(c.code, c.label) for c in categories]
        self.fields["area"].choices = [("", _("The whole county"))] + [
            (slug, area.name) for slug, area in self.areas.items()
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> transparency.Filters:
        """The valid values, defaults for the rest (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return transparency.Filters(
            period=data.get("period") or transparency.DEFAULT_PERIOD,
            category=self.categories.get(data.get("category") or ""),
            area=self.areas.get(data.get("area") or ""),
        )


# --- Charts: server-rendered SVG, geometry computed here, colours from CSS classes ----------

SEGMENTS = (("resolved", gettext_lazy("Resolved")), ("closed", gettext_lazy("Closed")), ("open", gettext_lazy("Open")))
PLOT_TOP, PLOT_HEIGHT = 12, 180
PLOT_LEFT = 9.0  # per cent of the width kept for the axis labels
ROW_HEIGHT, BAR_HEIGHT, BAR_MAX = 44, 16, 82.0


def _n(value: float) -> str:
    """An SVG coordinate as text: templates would localize a number ("12,5" in Spanish)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _count(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def month_chart(months: list[dict]) -> dict:
    """Stacked columns (resolved, closed, open) of the concerns received each month."""
    top = _nice_max(max((m["received"] for m in months), default=0))
    n = max(len(months), 1)
    slot = (100 - PLOT_LEFT) / n
    every = 1 if n <= 12 else 3 if n <= 36 else 6
    columns = []
    for i, m in enumerate(months):
        x = PLOT_LEFT + i * slot + slot * 0.15
        y = PLOT_TOP + PLOT_HEIGHT
        parts = []
        for key, label in SEGMENTS:
            height = PLOT_HEIGHT * m[key] / top
            y -= height
            if m[key]:
                parts.append({"cls": f"bar-{key}", "y": _n(y), "height": _n(height), "label": label})
        label = formats.date_format(m["month"], "M")
        # The year under the first column and under each January (not under both when the
        # first column is a December: the labels would touch).
        show_year = (i == 0 and m["month"].month != 12) or m["month"].month == 1
        columns.append(
            {
                "x": f"{x:.3f}%",
                "width": f"{slot * 0.7:.3f}%",
                "center": f"{x + slot * 0.35:.3f}%",
                "parts": parts,
                "title": f"{formats.date_format(m['month'], 'YEAR_MONTH_FORMAT')}: {_count(m['received'])}",
                "label": label if i % every == 0 else "",
                "year": str(m["month"].year) if show_year and i % every == 0 else "",
            }
        )
    ticks = [{"y": _n(PLOT_TOP + PLOT_HEIGHT * (1 - f)), "label": _count(round(top * f))} for f in (0, 0.5, 1)]
    busiest = max(months, key=lambda m: m["received"], default=None)
    return {
        "columns": columns,
        "ticks": ticks,
        "height": _n(PLOT_TOP + PLOT_HEIGHT + 34),
        "axis_y": _n(PLOT_TOP + PLOT_HEIGHT),
        "left": f"{PLOT_LEFT}%",
        "label_y": _n(PLOT_TOP + PLOT_HEIGHT + 16),
        "year_y": _n(PLOT_TOP + PLOT_HEIGHT + 30),
        "busiest": busiest if busiest and busiest["received"] else None,
    }


def bar_chart(rows: list[dict]) -> dict:
    """Stacked horizontal bars (resolved, closed, open), one per row, with its total."""
    top = max((r["received"] for r in rows), default=0) or 1
    bars = []
    for i, r in enumerate(rows):
        y = i * ROW_HEIGHT
        x = 0.0
        parts = []
        for key, label in SEGMENTS:
            width = BAR_MAX * r[key] / top
            if r[key]:
                parts.append({"cls": f"bar-{key}", "x": f"{x:.3f}%", "width": f"{width:.3f}%", "label": label})
            x += width
        bars.append(
            {
                "label": r["label"],
                "label_y": _n(y + 14),
                "bar_y": _n(y + 20),
                "value_x": f"{x + 1:.3f}%",
                "value_y": _n(y + 20 + BAR_HEIGHT - 3),
                "value": r["received"],
                "parts": parts,
            }
        )
    return {"bars": bars, "height": _n(max(len(rows) * ROW_HEIGHT, ROW_HEIGHT)), "bar_height": _n(BAR_HEIGHT)}


# --- Views ------------------------------------------------------------------------------------


@public
@require_GET
@cache_public_page
def transparency_dashboard_view(request: HttpRequest) -> HttpResponse:
    """The public dashboard: concerns by month, kind and area, open and closed, and the median
    days to a first response and to resolution, for a period, a kind and an area."""
    build = transparency.build_latest()
    categories = list(Category.objects.order_by("order", "name"))
    areas = area_selectors.area_public_list()
    form = DashboardFilterForm(request.GET or None, categories=categories, areas=areas)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    filters = form.filters()
    chosen = {
        "period": filters.period,
        "category": filters.category.code if filters.category else "",
        "area": filters.area.slug if filters.area else "",
    }
    filter_fields = [
        {"field": form[name], "options": [(v, label, v == chosen[name]) for v, label in form.fields[name].choices]}
        for name in ("period", "category", "area")
    ]
    context = {
        "form": form,
        "filter_fields": filter_fields,
        "build": build,
        "filters": filters,
        "period_label": WINDOW_LABELS[filters.period],
        "segments": SEGMENTS,
        "categories": categories,
        "fields": _data_dictionary(),
        "retention_minutes": 15,
    }
    if build is not None:
        figures = transparency.dashboard_figures(filters=filters, build=build)
        context.update(figures)
        context["month_chart"] = month_chart(figures["months"])
        context["category_chart"] = bar_chart(figures["by_category"])
        context["area_chart"] = bar_chart(figures["by_area"])
        context["first_month"] = figures["months"][0]["month"] if figures["months"] else None
        context["last_month"] = figures["months"][-1]["month"] if figures["months"] else None
    return render(request, "prosecution/transparency/transparency_dashboard.html", context, status=status)


def _data_dictionary() -> dict[str, list[tuple[str, str]]]:
    """What each column of the downloads means (shown on the dashboard)."""
    concerns = [
        (
            "id",
            _("A pseudonymous id: the same concern keeps it from one day to the next. It is not the tracking code."),
        ),
        ("category", _("The kind of concern (code, see the list of kinds).")),
        ("status", _("received, under_review, referred, in_progress, resolved or closed.")),
        ("is_open", _("true until the concern is resolved or closed.")),
        ("created_month", _("Month the concern was received (YYYY-MM, Pacific time).")),
        ("created_date", _("Day the concern was received (YYYY-MM-DD, Pacific time).")),
        ("first_response_days", _("Days from receipt to the first response (empty if none yet).")),
        ("resolution_days", _("Days from receipt to resolution (resolved concerns only).")),
        ("areas", _("Slugs of the police districts, neighborhoods and beats it lies in (space-separated in CSV).")),
        ("latitude, longitude", _("The location blurred to about a block (empty if none was given).")),
    ]
    figures = [
        ("period", _("month, or the window: 3m, 12m, 24m (the last whole months, this one included) or all.")),
        ("month", _("The calendar month (YYYY-MM) of a month row; empty for a window row.")),
        ("category, category_name", _("The kind of concern; empty: every kind.")),
        ("category_sensitive", _("true for kinds kept private: counts only, never by area.")),
        (
            "area_kind, area, area_name",
            _("The area; empty: the whole county. Figures by area leave out private kinds."),
        ),
        ("received, open, resolved, closed", _("Concerns received in the period, by their status now.")),
        ("responded", _("Of those, how many have had a first response.")),
        ("median_days_to_first_response", _("Median days from receipt to the first response.")),
        ("median_days_to_resolution", _("Median days from receipt to resolution, for resolved concerns.")),
    ]
    return {"concerns": concerns, "figures": figures}


def _download_headers(response, *, request: HttpRequest, build, dataset: str, fmt: str):
    stamp = build.computed_at.strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="community-prosecution-{dataset}-{stamp}.{fmt}"'
    response["Last-Modified"] = http_date(build.computed_at.timestamp())
    response["ETag"] = _etag(build, dataset, fmt)
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, public=True, max_age=DOWNLOAD_MAX_AGE)
    return response


def _etag(build, dataset: str, fmt: str) -> str:
    return f'"{build.pk}-{int(build.computed_at.timestamp())}-{dataset}-{fmt}"'


def _not_ready() -> HttpResponse:
    response = HttpResponse(
        _("The open data is being prepared. Try again in a few minutes."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "900"
    return response


@public
@require_GET
def open_data_view(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """A download: `concerns` (one row per non-sensitive concern, the file written by the last
    rebuild) or `figures` (every precomputed figure row, streamed), as CSV or JSON."""
    if dataset not in DATASETS or fmt not in CONTENT_TYPES:
        raise Http404
    build = transparency.build_latest()
    if build is None:
        return _not_ready()
    if request.headers.get("If-None-Match") == _etag(build, dataset, fmt):
        return _download_headers(HttpResponseNotModified(), request=request, build=build, dataset=dataset, fmt=fmt)
    if dataset == "concerns":
        name = build.concerns_csv if fmt == "csv" else build.concerns_json
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, ValueError):
            return _not_ready()
        response = FileResponse(handle, content_type=CONTENT_TYPES[fmt])
    else:
        rows = transparency.figure_rows()
        if fmt == "csv":
            body = transparency.csv_lines(transparency.FIGURE_FIELDS, rows)
        else:
            meta = {
                "title": "Community Prosecution Unit: concern figures",
                "computed_at": build.computed_at.isoformat(),
                "time_zone": settings.TIME_ZONE,
            }
            body = transparency.json_chunks(
                meta, "figures", (dict(zip(transparency.FIGURE_FIELDS, row, strict=True)) for row in rows)
            )
        response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    return _download_headers(response, request=request, build=build, dataset=dataset, fmt=fmt)

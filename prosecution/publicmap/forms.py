"""The public map's GET forms: the filters (shared by the page, its list and the map's data),
the map's box and zoom, and the point of "already reported nearby"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.geo import MAP_CENTER, MAP_ZOOM
from prosecution.concerns.models import Concern
from prosecution.publicmap.selectors import BBox, MapFilters

# The county and around it: the box the map's data answers for when none is given.
DEFAULT_BBOX = BBox(
    min_lon=MAP_CENTER[1] - 0.6, min_lat=MAP_CENTER[0] - 0.4, max_lon=MAP_CENTER[1] + 0.6, max_lat=MAP_CENTER[0] + 0.4
)
ZOOM_MIN, ZOOM_MAX = 3, 19
NEARBY_RADIUS_M = 250
NEARBY_RADIUS_MAX_M = 1000
FILTER_NAMES = ("category", "status", "area", "date_from", "date_to")


def status_choices() -> list[tuple[str, str]]:
    return [
        ("open", _("Open (any stage)")),
        ("closed", _("Resolved or closed")),
        ("all", _("Any status")),
        *[(value, label) for value, label in Concern.Status.choices],
    ]


class MapFilterForm(forms.Form):
    """What the map and its list show: kind, status, area and when it was reported."""

    category = forms.ChoiceField(label=_("Kind of concern"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    date_from = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, categories=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any kind")), *categories]
        self.fields["status"].choices = status_choices()
        self.fields["status"].initial = "open"
        self.areas = {area.slug: area for area in areas}
        self.fields["area"].choices = [("", _("Any area")), *[(a.slug, a.name) for a in areas]]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name.startswith("date_") else "form-select"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def filters(self) -> MapFilters:
        """The filters chosen; open concerns of every kind, area and date when the form is
        not bound or not valid."""
        if not self.is_bound or not self.is_valid():
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": f"{self[name].id_for_label}-error"}
                    )
            return MapFilters()
        data = self.cleaned_data
        area = self.areas.get(data["area"]) if data["area"] else None
        return MapFilters(
            category=data["category"],
            status=data["status"] or "open",
            area_id=area.pk if area else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )

    def query(self) -> dict[str, str]:
        """The chosen filters as query parameters (for the pages' links), without empty ones."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
            if value
        }


class MapViewForm(forms.Form):
    """The part of the map in view: `bbox` (west,south,east,north in degrees) and `zoom`."""

    bbox = forms.CharField(required=False, max_length=120)
    zoom = forms.IntegerField(required=False, min_value=ZOOM_MIN, max_value=ZOOM_MAX)

    def clean_bbox(self) -> BBox:
        value = self.cleaned_data["bbox"].strip()
        if not value:
            return DEFAULT_BBOX
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise forms.ValidationError(_("bbox must be four numbers: west,south,east,north.")) from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError(_("bbox must be west,south,east,north in degrees, west before east."))
        return BBox(min_lon=west, min_lat=south, max_lon=east, max_lat=north)

    def clean_zoom(self) -> int:
        return self.cleaned_data["zoom"] or MAP_ZOOM


class NearbyForm(forms.Form):
    """A point on the report form's map, and how far around it to look (metres)."""

    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
    radius = forms.IntegerField(required=False, min_value=10, max_value=NEARBY_RADIUS_MAX_M)

    def clean_radius(self) -> int:
        return self.cleaned_data["radius"] or NEARBY_RADIUS_M

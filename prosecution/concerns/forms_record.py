"""Forms of "correcting the record" on a concern's staff page: its photos (hide, redact), its
public text, its category and its location. They check shape only; the services enforce the
rules. Each has ids of its own (`AUTO_ID`): the page holds other forms with the same field
names (the status form's public_text)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.geocoding import address_input_attrs
from prosecution.concerns.models_categories import Category


class PhotoChoiceForm(forms.Form):
    """Which photo (its current public address, posted by the staff page)."""

    photo = forms.UUIDField(widget=forms.HiddenInput)


class PhotoVisibilityForm(PhotoChoiceForm):
    hidden = forms.TypedChoiceField(
        choices=[("1", _("Hide from the public")), ("0", _("Show to the public"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )


def _percent(label):
    return forms.FloatField(
        label=label, required=False, min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": "any"})
    )


class PhotoRedactForm(PhotoChoiceForm):
    WHOLE, REGION = "whole", "region"

    mode = forms.ChoiceField(
        label=_("What to blur"),
        choices=[(WHOLE, _("The whole photo")), (REGION, _("A rectangle (in percent of the photo)"))],
        initial=REGION,
        widget=forms.RadioSelect,
    )
    x = _percent(_("From the left edge (%)"))
    y = _percent(_("From the top edge (%)"))
    width = _percent(_("Width (%)"))
    height = _percent(_("Height (%)"))

    def clean(self):
        data = super().clean()
        if data.get("mode") != self.REGION:
            return data
        values = {name: data.get(name) for name in ("x", "y", "width", "height")}
        for name, value in values.items():
            if value is None and name not in self.errors:
                self.add_error(name, _("Give this value for a rectangle."))
        if any(value is None for value in values.values()):
            return data
        if values["width"] <= 0 or values["height"] <= 0:
            self.add_error(None, _("The rectangle needs a width and a height."))
        elif values["x"] + values["width"] > 100.001 or values["y"] + values["height"] > 100.001:
            self.add_error(None, _("The rectangle must lie inside the photo."))
        return data

    def region(self) -> tuple[float, float, float, float] | None:
        data = self.cleaned_data
        if data["mode"] == self.WHOLE:
            return None
        return (data["x"], data["y"], data["width"], data["height"])


class _OwnIds:
    AUTO_ID = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)


class PublicTextForm(_OwnIds, forms.Form):
    AUTO_ID = "id_text_%s"

    public_text = forms.CharField(
        label=_("Public text"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the public reads on the concern's public page, the area page and in Open311. Remove names, "
            "phone numbers and other personal details. Leave empty to publish what the resident wrote."
        ),
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.label


class RecategorizeForm(_OwnIds, forms.Form):
    AUTO_ID = "id_recategorize_%s"

    category = CategoryChoiceField(
        label=_("New category"), queryset=Category.objects.filter(is_active=True), to_field_name="code"
    )
    public_text = forms.CharField(
        label=_("Public update (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the tracking page. Nobody is e-mailed."),
    )


class RelocateForm(_OwnIds, forms.Form):
    AUTO_ID = "id_relocate_%s"

    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=255,
        help_text=_("Without a pin or coordinates, the address is placed on the map when it is found."),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = address_input_attrs(lat_id="id_relocate_latitude", lon_id="id_relocate_longitude")
        self.fields["address"].widget.attrs.update(attrs)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return data
        if (lat is None) != (lon is None):
            self.add_error(None, _("Give both the latitude and the longitude, or neither."))
        elif lat is None and not (data.get("address") or "").strip():
            self.add_error(None, _("Give an address or a latitude and longitude."))
        return data

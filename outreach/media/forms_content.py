"""Staff forms to write the unit's public content: events, programs, news items, Justice
Journal and podcast episodes. They check shape (and, being model forms, the model's own
validators: the WebVTT, audio and constraint checks); the services decide the rest."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.geocoding import address_input_attrs
from outreach.events.models import Event
from outreach.media.models import JournalEpisode, MediaContact, NewsItem, PodcastEpisode
from outreach.programs.models import Program

# The optional image of public content (jcr.core.images): the alt text is required with it.
IMAGE_FIELDS = ("image", "image_alt", "image_alt_es")
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _datetime_field(field, **kwargs):
    return forms.DateTimeField(
        label=field.verbose_name.capitalize(),
        required=not field.blank,
        input_formats=_DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=kwargs.get("help_text", ""),
    )


class _ContentForm(forms.ModelForm):
    textarea_rows = 4

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", self.textarea_rows)


class EventForm(_ContentForm):
    starts_at = _datetime_field(Event._meta.get_field("starts_at"))
    ends_at = _datetime_field(Event._meta.get_field("ends_at"))
    registration_opens_at = _datetime_field(Event._meta.get_field("registration_opens_at"))
    registration_closes_at = _datetime_field(Event._meta.get_field("registration_closes_at"))
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=Event._meta.get_field("online_url").help_text,
    )

    class Meta:
        model = Event
        fields = [
            "title", "title_es", "slug", "summary", "summary_es", "description", "description_es",
            "topic", "area", "language", "format", "venue_name", "venue_address", "latitude", "longitude",
            "online_url", "agenda", "agenda_es", "accessibility", "accessibility_es",
            "starts_at", "ends_at", "capacity", "reserved_seats", "registration_opens_at", "registration_closes_at",
            *IMAGE_FIELDS,
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue_address"].widget.attrs.update(address_input_attrs())
        self.fields["venue_address"].help_text = _(
            "Without a latitude and longitude, the address is placed on the map when it is found."
        )

    def clean(self):
        # The model's check constraints, said in words and next to the field concerned.
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        capacity, reserved = data.get("capacity"), data.get("reserved_seats")
        if capacity is not None and reserved is not None and reserved > capacity:
            self.add_error("reserved_seats", _("There cannot be more reserved seats than the capacity."))
        return data


class ProgramForm(_ContentForm):
    class Meta:
        model = Program
        fields = [
            "title", "title_es", "slug", "summary", "summary_es", "audience", "topics", "language", "format",
            "length_minutes", "is_active", "order", *IMAGE_FIELDS,
        ]  # fmt: skip
        widgets = {"topics": forms.CheckboxSelectMultiple}


class NewsItemForm(_ContentForm):
    textarea_rows = 10

    class Meta:
        model = NewsItem
        fields = ["title", "slug", "language", "translation_of", "kind", "summary", "body", "contacts", *IMAGE_FIELDS]
        help_texts = {
            "body": _("Markdown: **bold**, *italic*, [link](https://…), lists, ## headings."),
            "contacts": _("The press contacts printed on the news item."),
        }
        widgets = {"contacts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active contacts, and the ones the item already names (so saving never drops them).
        named = self.instance.contacts.values("pk") if self.instance.pk else MediaContact.objects.none()
        self.fields["contacts"].queryset = MediaContact.objects.filter(
            models.Q(is_active=True) | models.Q(pk__in=named)
        ).order_by("name")


class JournalEpisodeForm(_ContentForm):
    textarea_rows = 8

    class Meta:
        model = JournalEpisode
        fields = [
            "title", "slug", "language", "translation_of", "summary", "youtube_id", "duration_seconds",
            "transcript", "captions",
        ]  # fmt: skip
        widgets = {"captions": forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"})}


class PodcastEpisodeForm(_ContentForm):
    textarea_rows = 8

    class Meta:
        model = PodcastEpisode
        fields = ["show", "title", "slug", "episode_number", "description", "audio", "duration_seconds", "transcript"]
        widgets = {"audio": forms.ClearableFileInput(attrs={"accept": ".mp3,.m4a,audio/mpeg,audio/mp4"})}


class MediaContactForm(_ContentForm):
    class Meta:
        model = MediaContact
        fields = ["name", "title", "email", "phone", "is_active"]
        help_texts = {
            "is_active": _("Untick when the person no longer answers the press: news items stop offering them.")
        }

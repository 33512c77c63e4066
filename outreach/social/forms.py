"""Forms of social publishing (staff pages)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jcr.core.forms import CleanImageField
from outreach.social.models import ChannelAccount, SocialPost

REPEAT_COUNT_MAX = 500


def _style(form) -> None:
    """Bootstrap classes on the widgets (the templates render fields one by one)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = (widget.attrs.get("class", "") + " form-select").strip()
        else:
            widget.attrs["class"] = (widget.attrs.get("class", "") + " form-control").strip()


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class PostComposeForm(forms.Form):
    """Compose once: the common text, the channels, a text per channel when it must differ."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For staff lists and for video titles."))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5, "data-social-count": "body"}))
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"), queryset=ChannelAccount.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    image = CleanImageField(label=_("Image"), required=False)
    alt_text = forms.CharField(
        label=_("Alternative text of the image"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Describe the image for people who cannot see it. Required for every image."),
    )
    video_url = forms.URLField(label=_("Video file address"), required=False, assume_scheme="https")
    video_captions = forms.BooleanField(label=_("The video has captions"), required=False)
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When approved, the post is scheduled for this time."),
    )
    repeat = forms.ChoiceField(label=_("Repeat"), required=False, choices=SocialPost.Repeat.choices)
    repeat_until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day an occurrence may go out. Leave empty to repeat until stopped."),
    )
    repeat_count = forms.IntegerField(
        label=_("Number of occurrences"),
        required=False,
        min_value=2,
        max_value=REPEAT_COUNT_MAX,
        help_text=_("Including the first. Leave empty to repeat until stopped."),
    )

    REPEAT_FIELDS = ("repeat", "repeat_until", "repeat_count")

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        channels = list(channels if channels is not None else ChannelAccount.objects.filter(is_active=True))
        self.channel_list = channels
        self.fields["channels"].queryset = ChannelAccount.objects.filter(pk__in=[c.pk for c in channels])
        for channel in channels:
            self.fields[f"variant_{channel.pk}"] = forms.CharField(
                label=_("Text on %(channel)s (leave empty to use the common text)") % {"channel": channel},
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 3, "data-social-count": channel.platform, "data-channel": channel.pk}
                ),
            )

        _style(self)

    def variant_fields(self):
        return [(c, self[f"variant_{c.pk}"]) for c in self.channel_list]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("alt_text") or "").strip():
            self.add_error("alt_text", _("Every image needs alternative text."))
        if cleaned.get("repeat"):
            publish_at = cleaned.get("publish_at")
            until = cleaned.get("repeat_until")
            if publish_at is None and "publish_at" not in self.errors:
                self.add_error("publish_at", _("A repeating post needs the date and time of its first publication."))
            elif until is not None and publish_at is not None and until <= timezone.localtime(publish_at).date():
                self.add_error("repeat_until", _("The last day of the repetition must be after the first publication."))
        else:
            cleaned["repeat"], cleaned["repeat_until"], cleaned["repeat_count"] = "", None, None
        return cleaned

    def regular_fields(self):
        return [f for f in self if not f.name.startswith("variant_") and f.name not in self.REPEAT_FIELDS]

    def repeat_fields(self):
        return [self[name] for name in self.REPEAT_FIELDS]

    def variants(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"variant_{c.pk}", "") for c in self.channel_list}


class ScheduleForm(StyledForm):
    publish_at = forms.DateTimeField(
        label=_("Publish at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class PauseForm(StyledForm):
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(StyledForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MarkPublishedForm(StyledForm):
    url = forms.URLField(label=_("Address of the post on the platform"), max_length=500, assume_scheme="https")

"""Admin of the legal rules registry and the judicial holidays. Only the JTI Chief changes
them. Saving a changed rule never edits it: it creates a new version in force from the date
given, and the version it replaces ends the day before (services.rule_version_create). Past
versions are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integrity.rules import services
from integrity.rules.models import JudicialHoliday, LegalRule
from jcr.accounts import roles


def is_jti_chief(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name=roles.JTI_CHIEF).exists()))


class ChiefOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return is_jti_chief(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_jti_chief(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class LegalRuleForm(forms.ModelForm):
    official_url = forms.URLField(label=_("official text"), max_length=500, assume_scheme="https")
    new_version_from = forms.DateField(
        label=_("New version in force from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Saving a change creates a new version from this date; the current version ends the day before."),
    )

    class Meta:
        model = LegalRule
        fields = [
            "code",
            "name",
            "citation",
            "official_url",
            "effective_from",
            "effective_to",
            "parameters",
            "verified_by",
            "verified_on",
            "notes",
        ]

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            return data
        start = data.get("new_version_from")
        if not start:
            raise ValidationError({"new_version_from": _("Say from which date the new version is in force.")})
        if start <= self.instance.effective_from:
            raise ValidationError({"new_version_from": _("A new version starts after the one it replaces.")})
        # Compared with the version's own values (self.instance is not updated until after clean).
        if all(data.get(f) == getattr(self.instance, f) for f in services.VERSIONED_FIELDS if f in self.fields):
            raise ValidationError(_("Nothing changed: a new version needs a change."))
        return data


@admin.register(LegalRule)
class LegalRuleAdmin(ChiefOnlyAdmin):
    audited_by_services = True  # integrity.rules.services audits each version by field name
    form = LegalRuleForm
    list_display = ("code", "version", "name", "citation", "effective_from", "effective_to", "verified_on")
    list_filter = ("code",)
    search_fields = ("code", "name", "citation")
    readonly_fields = ("version", "created_at", "updated_at")

    def get_fields(self, request, obj=None):
        fields = ["code", "version", "name", "citation", "official_url", "effective_from", "effective_to"]
        fields += ["parameters", "verified_by", "verified_on", "notes"]
        if obj is not None:
            fields.append("new_version_from")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "code", "effective_from", "effective_to"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_to is not None:
            return False  # a past version is history
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            values = {f: form.cleaned_data.get(f) for f in ("code", "effective_from", "effective_to")}
            values |= {f: form.cleaned_data.get(f) for f in services.VERSIONED_FIELDS}
            created = services.rule_create(actor=request.user, **values)
        else:
            previous = LegalRule.objects.get(pk=obj.pk)
            created = services.rule_version_create(
                previous=previous,
                effective_from=form.cleaned_data["new_version_from"],
                actor=request.user,
                **{f: form.cleaned_data.get(f) for f in services.VERSIONED_FIELDS},
            )
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        obj._state = created._state


@admin.register(JudicialHoliday)
class JudicialHolidayAdmin(ChiefOnlyAdmin):
    list_display = ("day", "name", "note")
    list_filter = ("day",)
    search_fields = ("name", "note")
    date_hierarchy = "day"

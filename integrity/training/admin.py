"""Admin of training and MCLE: the rule set, its category minimums and the compliance groups are
data edited here (by the JTI Chief and administrators), as are courses and sessions.

Validation: a category minimum may not be above the rule set's total, nor the minimums together
(implicit bias is part of elimination of bias), nor the implicit-bias minimum above the
elimination-of-bias one; the self-study cap may not be above the total. The rule set is
versioned: saving a change creates a new version from a date (MCLERuleSetAdmin)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from integrity.training import mcle, services_mcle
from integrity.training.models import (
    Attendance,
    ComplianceGroup,
    Course,
    CourseCredit,
    CreditCategory,
    ExternalCredit,
    MCLECategoryMinimum,
    MCLEProfile,
    MCLEReminder,
    MCLERuleSet,
    SessionRegistration,
    TrainingSession,
)
from jcr.core.audit import audit_record


class CourseCreditInline(admin.TabularInline):
    model = CourseCredit
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title", "provider"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [CourseCreditInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_at", "presenter", "location", "credit_format", "capacity", "is_cancelled"]
    list_filter = ["credit_format", "is_cancelled"]
    search_fields = ["course__title", "presenter", "location"]
    date_hierarchy = "starts_at"
    list_select_related = ["course"]
    readonly_fields = ["public_id", "created_at", "updated_at"]


@admin.register(SessionRegistration)
class SessionRegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__full_name", "session__course__title"]
    list_select_related = ["user", "session__course"]
    raw_id_fields = ["user", "session"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "recorded_by", "created_at"]
    search_fields = ["user__email", "user__full_name", "session__course__title"]
    list_filter = ["session__credit_format"]
    list_select_related = ["user", "session__course", "recorded_by"]
    raw_id_fields = ["user", "session", "recorded_by"]
    readonly_fields = ["public_id", "created_at"]


def _minimum_errors(*, hours_per_period, minimums: dict) -> list[str]:
    if hours_per_period is None:
        return []
    labels = dict(CreditCategory.choices)
    messages = {
        "over": lambda c: (
            gettext("The %(category)s minimum is above the hours per period (%(total)s).")
            % {"category": labels[c], "total": hours_per_period}
        ),
        "sum": lambda c: (
            gettext(
                "The category minimums together are above the hours per period (%(total)s); implicit bias "
                "counts within elimination of bias."
            )
            % {"total": hours_per_period}
        ),
        "implicit": lambda c: (
            gettext("The implicit-bias minimum cannot be above the elimination of bias minimum.")
            if c == mcle.IMPLICIT_BIAS
            else gettext("The substance use and mental health minimum cannot be above the competence minimum.")
        ),
    }
    return [messages[code](category) for code, category in mcle.minimums_problems(
        hours_per_period=hours_per_period, minimums=minimums
    )]  # fmt: skip


class MinimumsFormSet(forms.BaseInlineFormSet):
    """The minimums of a rule set, checked together against its total (as edited in the
    same form). On a change, the version's values and minimums together must differ from the
    version's own (read from the database: the form has already applied the new values)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        minimums = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or data.get("hours") is None:
                continue
            minimums[data["category"]] = data["hours"]
        errors = _minimum_errors(hours_per_period=self.instance.hours_per_period, minimums=minimums)
        if errors:
            raise ValidationError(errors)
        if self.instance.pk:
            stored = MCLERuleSet.objects.prefetch_related("minimums").get(pk=self.instance.pk)
            same = all(getattr(self.instance, f) == getattr(stored, f) for f in services_mcle.VERSIONED_FIELDS)
            if same and minimums == {m.category: m.hours for m in stored.minimums.all()}:
                raise ValidationError(gettext("Nothing changed: a new version needs a change."))
        self.minimums = minimums


class MCLECategoryMinimumInline(admin.StackedInline):
    """Stacked, so that each minimum's fields carry their own labels."""

    model = MCLECategoryMinimum
    formset = MinimumsFormSet
    extra = 0


class MCLERuleSetForm(forms.ModelForm):
    official_url = forms.URLField(label=_("official text"), max_length=500, required=False, assume_scheme="https")
    new_version_from = forms.DateField(
        label=_("New version in force from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Saving a change creates a new version from this date; the current version ends the day before. "
            "Compliance periods ending on or after this date are judged by the new version."
        ),
    )

    class Meta:
        model = MCLERuleSet
        fields = [
            "name",
            "citation",
            "official_url",
            "effective_from",
            "hours_per_period",
            "period_years",
            "self_study_max",
            "verified_by",
            "verified_on",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            start, field = data.get("new_version_from"), "new_version_from"
            if not start:
                raise ValidationError({field: _("Say from which date the new version is in force.")})
        else:
            start, field = data.get("effective_from"), "effective_from"
            if not start:
                raise ValidationError({field: _("Say from which date these rules are in force.")})
        current = MCLERuleSet.objects.filter(effective_to__isnull=True).first()
        if current is not None and current.effective_from and start <= current.effective_from:
            raise ValidationError({field: _("A new version starts after the one it replaces.")})
        return data


@admin.register(MCLERuleSet)
class MCLERuleSetAdmin(admin.ModelAdmin):
    """Saving never edits a version: it creates a new one in force from the date given, and the
    version it replaces ends the day before (services_mcle.rule_set_version_create, which
    audits the fields changed by name). Past versions are read-only; none is deleted."""

    audited_by_services = True
    form = MCLERuleSetForm
    list_display = ["version", "name", "citation", "effective_from", "effective_to", "hours_per_period", "verified_on"]
    search_fields = ["name", "citation"]
    raw_id_fields = ["verified_by"]
    inlines = [MCLECategoryMinimumInline]
    readonly_fields = ["version", "effective_to"]

    def get_fieldsets(self, request, obj=None):
        fields = ["version", "name", "citation", "official_url", "effective_from", "effective_to", "hours_per_period"]
        fields += ["period_years", "self_study_max", "verified_by", "verified_on"]
        if obj is not None:
            fields.append("new_version_from")
        description = _(
            "The State Bar's compliance rules. A compliance period is judged by the version in force on the "
            "period's last day. Saving a change creates a new version; the category minimums are listed below."
        )
        return [(None, {"fields": fields, "description": description})]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "effective_from"] if obj is not None else self.readonly_fields

    def has_add_permission(self, request):
        # The first version only; later ones are changes of the version in force.
        return not MCLERuleSet.objects.filter(effective_to__isnull=True).exists() and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_to is not None:
            return False  # a past version is history
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Nothing yet: the version is written with its minimums in save_related."""

    def save_formset(self, request, form, formset, change):
        """Nothing: the minimums belong to the new version (save_related)."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, None, add)  # the minimums were not saved

    def save_related(self, request, form, formsets, change):
        minimums = next((getattr(f, "minimums", {}) for f in formsets if isinstance(f, MinimumsFormSet)), {})
        values = {f: form.cleaned_data.get(f) for f in services_mcle.VERSIONED_FIELDS}
        values["official_url"] = values["official_url"] or ""
        if values["verified_on"] and not values["verified_by"]:
            values["verified_by"] = request.user
        start = form.cleaned_data["new_version_from" if change else "effective_from"]
        created = services_mcle.rule_set_version_create(
            effective_from=start, actor=request.user, minimums=minimums, **values
        )
        form.instance.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        form.instance._state = created._state


@admin.register(MCLECategoryMinimum)
class MCLECategoryMinimumAdmin(admin.ModelAdmin):
    """Read-only: a version's minimums change only with a new version of the rule set."""

    list_display = ["rule_set", "category", "hours"]
    list_filter = ["category", "rule_set"]
    list_select_related = ["rule_set"]
    search_fields = ["rule_set__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ComplianceGroup)
class ComplianceGroupAdmin(admin.ModelAdmin):
    """Saving a change of a group never writes over it: a new version from today holds the new
    deadline (or its verification) and the one it replaces ends (services_mcle.group_version_create,
    audited by field name). Past versions are read-only."""

    audited_by_services = True
    list_display = ["number", "version", "period_end", "deadline_verified", "effective_from", "effective_to"]
    list_filter = ["deadline_verified", "number"]
    readonly_fields = ["version", "effective_from", "effective_to"]
    raw_id_fields = ["verified_by"]

    def get_fieldsets(self, request, obj=None):
        description = _(
            "Each attorney's group is the one the State Bar records for them (see MCLE records). "
            "Published sources disagree on the groups' deadlines: check each group's end of period "
            "against the State Bar's schedule, correct it here and mark it verified. A change is kept as a "
            "new version; the earlier one stays as history."
        )
        fields = ["number", "version", "period_end", "deadline_verified", "verified_by", "effective_from"]
        return [(None, {"fields": [*fields, "effective_to"], "description": description})]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "number"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_to is not None:
            return False  # a past version is history
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data.get(f) for f in services_mcle.GROUP_FIELDS}
        if values["deadline_verified"] and not values["verified_by"]:
            values["verified_by"] = request.user
        if not change:
            obj.effective_from = timezone.localdate()
            obj.verified_by = values["verified_by"]
            super().save_model(request, obj, form, change)
            audit_record(action="integrity.training.mcle_group_version", obj=obj, actor=request.user,
                         after={"version": obj.version, "fields": sorted(form.changed_data)})  # fmt: skip
            return
        previous = ComplianceGroup.objects.get(pk=obj.pk)
        if all(values[f] == getattr(previous, f) for f in services_mcle.GROUP_FIELDS):
            return  # nothing changed: no new version
        created = services_mcle.group_version_create(previous=previous, actor=request.user, **values)
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        obj._state = created._state


@admin.register(MCLEProfile)
class MCLEProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "bar_number", "admitted_on"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__full_name", "bar_number"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    fieldsets = [
        (
            None,
            {
                "fields": ["user", "status", "bar_number", "admitted_on"],
                "description": _(
                    "Enter these from the State Bar's record of the attorney (attorney search), never from the "
                    "person's name. Staff who are not attorneys have no MCLE obligation."
                ),
            },
        )
    ]


@admin.register(MCLEReminder)
class MCLEReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "period_end", "days_before", "status", "hours_missing", "sent_at"]
    list_filter = ["kind", "status", "days_before", "period_end"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = [
        "user", "kind", "period_end", "days_before", "status", "hours_missing", "sent_at", "due_at", "attempts",
        "last_error", "created_at",
    ]  # fmt: skip


@admin.register(ExternalCredit)
class ExternalCreditAdmin(admin.ModelAdmin):
    """Entered on the MCLE records page (capped by the minutes attended); here to read."""

    list_display = ["user", "course_title", "provider", "earned_on", "category", "hours", "self_study"]
    list_filter = ["category", "self_study"]
    search_fields = ["user__email", "user__full_name", "course_title", "provider"]
    list_select_related = ["user"]
    readonly_fields = [
        "public_id", "user", "provider", "course_title", "earned_on", "minutes", "category", "hours", "self_study",
        "certificate_type", "recorded_by", "created_at",
    ]  # fmt: skip
    exclude = ["certificate"]

    def has_add_permission(self, request):
        return False

"""Admin of training and MCLE: the rule set, its category minimums and the compliance groups are
data edited here (by the JTI Chief and administrators), as are courses and sessions.

Validation: a category minimum may not be above the rule set's total, nor the minimums together
(implicit bias is part of elimination of bias), nor the implicit-bias minimum above the
elimination-of-bias one; the self-study cap may not be above the total; one rule set is
current; compliance groups' letter ranges do not overlap."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from integrity.training import mcle
from integrity.training.models import (
    Attendance,
    ComplianceGroup,
    Course,
    CourseCredit,
    CreditCategory,
    MCLECategoryMinimum,
    MCLEProfile,
    MCLEReminder,
    MCLERuleSet,
    SessionRegistration,
    TrainingSession,
)


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
    same form)."""

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


class MCLECategoryMinimumInline(admin.StackedInline):
    """Stacked, so that each minimum's fields carry their own labels."""

    model = MCLECategoryMinimum
    formset = MinimumsFormSet
    extra = 0


class MCLECategoryMinimumForm(forms.ModelForm):
    class Meta:
        model = MCLECategoryMinimum
        fields = ["rule_set", "category", "hours"]

    def clean(self):
        cleaned = super().clean()
        rule_set, category, hours = cleaned.get("rule_set"), cleaned.get("category"), cleaned.get("hours")
        if rule_set is None or not category or hours is None:
            return cleaned
        others = rule_set.minimums.exclude(pk=self.instance.pk).exclude(category=category)
        minimums = {m.category: m.hours for m in others}
        minimums[category] = hours
        errors = _minimum_errors(hours_per_period=rule_set.hours_per_period, minimums=minimums)
        if errors:
            raise ValidationError(errors)
        return cleaned


@admin.register(MCLERuleSet)
class MCLERuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "citation", "effective_from", "hours_per_period", "self_study_max", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name"]
    inlines = [MCLECategoryMinimumInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "citation",
                    "official_url",
                    "effective_from",
                    "verified_on",
                    "hours_per_period",
                    "period_years",
                    "self_study_max",
                    "is_current",
                ],
                "description": _(
                    "The State Bar's compliance rules the portal applies: the compliance view, transcripts and "
                    "reminders use the current rule set. Category minimums are listed below."
                ),
            },
        )
    ]


@admin.register(MCLECategoryMinimum)
class MCLECategoryMinimumAdmin(admin.ModelAdmin):
    form = MCLECategoryMinimumForm
    list_display = ["rule_set", "category", "hours"]
    list_filter = ["category", "rule_set"]
    list_select_related = ["rule_set"]
    search_fields = ["rule_set__name"]


@admin.register(ComplianceGroup)
class ComplianceGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "period_end", "deadline_verified"]
    list_filter = ["period_end", "deadline_verified"]
    fieldsets = [
        (
            None,
            {
                "fields": ["number", "period_end", "deadline_verified"],
                "description": _(
                    "Each attorney's group is the one the State Bar records for them (see MCLE records). "
                    "Published sources disagree on the groups' deadlines: check each group's end of period "
                    "against the State Bar's schedule, correct it here and mark it verified."
                ),
            },
        )
    ]


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
    list_display = ["user", "period_end", "days_before", "status", "hours_missing", "sent_at"]
    list_filter = ["status", "days_before", "period_end"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "period_end", "days_before", "status", "hours_missing", "sent_at", "created_at"]

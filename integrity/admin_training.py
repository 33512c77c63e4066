"""Admin of training and MCLE: the rule set, its category minimums and the compliance groups are
data edited here, as are courses and sessions."""

from django.contrib import admin

from integrity.models_training import (
    Attendance,
    ComplianceGroup,
    Course,
    CourseCredit,
    MCLECategoryMinimum,
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


class MCLECategoryMinimumInline(admin.TabularInline):
    model = MCLECategoryMinimum
    extra = 0


@admin.register(MCLERuleSet)
class MCLERuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "hours_per_period", "period_years", "self_study_max", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name"]
    inlines = [MCLECategoryMinimumInline]


@admin.register(MCLECategoryMinimum)
class MCLECategoryMinimumAdmin(admin.ModelAdmin):
    list_display = ["rule_set", "category", "hours"]
    list_filter = ["category", "rule_set"]
    search_fields = ["rule_set__name"]


@admin.register(ComplianceGroup)
class ComplianceGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "first_letter", "last_letter", "period_end"]
    search_fields = ["first_letter", "last_letter"]
    list_filter = ["period_end"]


@admin.register(MCLEReminder)
class MCLEReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "period_end", "days_before", "status", "hours_missing", "sent_at"]
    list_filter = ["status", "days_before", "period_end"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "period_end", "days_before", "status", "hours_missing", "sent_at", "created_at"]

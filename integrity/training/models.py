"""Training and MCLE: courses with their California MCLE credit, sessions, registrations,
attendance, the compliance rule set and groups (data edited in admin), and reminder rows."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from integrity.training import mcle
from jcr.core.models import TimeStampedModel, WorkItem

# The end of an open version (no end): only for the constraint allowing one open version.
OPEN_END = date(9999, 12, 31)


class CreditCategory(models.TextChoices):
    GENERAL = mcle.GENERAL, _("General")
    ETHICS = mcle.ETHICS, _("Legal ethics")
    COMPETENCE = mcle.COMPETENCE, _("Competence issues")
    BIAS = mcle.BIAS, _("Elimination of bias")
    IMPLICIT_BIAS = mcle.IMPLICIT_BIAS, _("Elimination of bias: implicit bias")
    SUBSTANCE_MH = (
        mcle.SUBSTANCE_MH,
        _("Competence: prevention and detection of substance use and mental health issues"),
    )
    TECHNOLOGY = mcle.TECHNOLOGY, _("Technology in the practice of law")
    CIVILITY = mcle.CIVILITY, _("Civility in the legal profession")


class Course(TimeStampedModel):
    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    provider = models.CharField(_("MCLE provider"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CourseCredit(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="credits", verbose_name=_("course"))
    category = models.CharField(_("category"), max_length=20, choices=CreditCategory.choices)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )

    class Meta:
        verbose_name = _("course credit")
        verbose_name_plural = _("course credits")
        ordering = ["course", "category"]
        constraints = [
            models.UniqueConstraint(fields=["course", "category"], name="integrity_coursecredit_one_per_category"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="integrity_coursecredit_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.hours}"


class TrainingSession(TimeStampedModel):
    class Format(models.TextChoices):
        PARTICIPATORY = "participatory", _("Participatory")
        SELF_STUDY = "self_study", _("Self-study")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    presenter = models.CharField(_("presenter"), max_length=200)
    location = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    credit_format = models.CharField(
        _("MCLE format"), max_length=20, choices=Format.choices, default=Format.PARTICIPATORY
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""), name="integrity_trainingsession_place_or_link"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="integrity_trainingsession_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_self_study(self) -> bool:
        return self.credit_format == self.Format.SELF_STUDY


class SessionRegistration(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)

    class Meta:
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="integrity_sessionregistration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"


class Attendance(TimeStampedModel):
    """A person attended a session: it earns the course's credits on the session's date."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_attendances",
        verbose_name=_("person"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["-session__starts_at"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="integrity_attendance_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"


class MCLERuleSet(TimeStampedModel):
    """One version of the compliance rules (California: Rules of the State Bar, rule 2.72).

    A version is never edited in place: a change is a new version in force from its effective
    date, and the version it replaces ends the day before (services_mcle.rule_set_version_create,
    the admin's save). The open version (no end) is the one in force now.

    Which version applies to a compliance period: the one in force on the period's last day.
    The State Bar words its amendments by the periods they govern ("compliance periods ending
    in 2025 and later"), so a period is judged as a whole by the rules of the day it ends."""

    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    hours_per_period = models.DecimalField(
        _("hours per period"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("The total every deputy must earn in each compliance period (California: 25)."),
    )  # fmt: skip
    period_years = models.PositiveSmallIntegerField(
        _("period (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("The length of a compliance period; a group's period ends on its deadline."),
    )  # fmt: skip
    self_study_max = models.DecimalField(
        _("self-study maximum (hours)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Self-study hours beyond this do not count toward the total (California: 12.5); the rest of the "
            "total is the participatory minimum."
        ),
    )  # fmt: skip
    citation = models.CharField(
        _("citation"),
        max_length=200,
        blank=True,
        help_text=_("The rule and subdivision, e.g. Rules of the State Bar, rule 2.72."),
    )
    official_url = models.URLField(_("official text"), max_length=500, blank=True)
    effective_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("Compliance periods ending on or after this day are judged by this version."),
    )
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Empty: still in force."))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_on = models.DateField(
        _("verified on"),
        null=True,
        blank=True,
        help_text=_("The day the requirements were last checked against the rule's official text."),
    )

    class Meta:
        verbose_name = _("MCLE rule set")
        verbose_name_plural = _("MCLE rule sets")
        ordering = ["-version", "-effective_from"]
        permissions = [("view_compliance", _("Can see every deputy's MCLE transcript and standing"))]
        constraints = [
            models.UniqueConstraint(
                Coalesce("effective_to", models.Value(OPEN_END)),
                condition=Q(effective_to__isnull=True),
                name="integrity_mcleruleset_one_open",
                violation_error_message=_("Another version is in force: change it to add a version."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="integrity_mcleruleset_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def clean(self) -> None:
        if (
            self.self_study_max is not None
            and self.hours_per_period is not None
            and self.self_study_max > self.hours_per_period
        ):
            raise ValidationError({"self_study_max": _("The self-study maximum cannot be above the hours per period.")})

    @property
    def participatory_min(self) -> Decimal:
        return max(self.hours_per_period - self.self_study_max, Decimal("0"))


class MCLECategoryMinimum(models.Model):
    rule_set = models.ForeignKey(
        MCLERuleSet, on_delete=models.CASCADE, related_name="minimums", verbose_name=_("rule set")
    )
    category = models.CharField(_("category"), max_length=20, choices=CreditCategory.choices)
    hours = models.DecimalField(
        _("minimum hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("Implicit-bias hours also count toward the elimination of bias minimum."),
    )

    class Meta:
        verbose_name = _("category minimum")
        verbose_name_plural = _("category minimums")
        ordering = ["rule_set", "category"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "category"], name="integrity_mclecategoryminimum_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ≥ {self.hours}"


class ComplianceGroup(TimeStampedModel):
    """A State Bar compliance group (1, 2 or 3) with the end of its current period. Which group
    an attorney belongs to is the State Bar's record of them (MCLEProfile), never their name.

    Versioned: a change of the deadline (or its verification) is never written over the row; it
    is a new version recorded from the day of the change, and the version it replaces ends then
    (services_mcle.group_version_create, the admin's save). The open version (no end) holds the
    deadline in force."""

    number = models.PositiveSmallIntegerField(_("group"))
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    period_end = models.DateField(
        _("end of the current period"),
        help_text=_(
            "The deadline of this group's current compliance period. The dates loaded with the portal are "
            "estimates: check them against the State Bar's schedule and correct them here. Reminders go out "
            "90, 30 and 7 days before this date."
        ),
    )
    deadline_verified = models.BooleanField(
        _("deadline verified"),
        default=False,
        help_text=_("Tick once the end of the period has been checked against the State Bar's schedule."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_from = models.DateField(_("recorded from"), null=True, blank=True)
    effective_to = models.DateField(_("replaced on"), null=True, blank=True, help_text=_("Empty: in force."))

    class Meta:
        verbose_name = _("compliance group")
        verbose_name_plural = _("compliance groups")
        ordering = ["number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="integrity_compliancegroup_number_version"),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(effective_to__isnull=True),
                name="integrity_compliancegroup_one_open",
                violation_error_message=_("This group exists: change it to record a new deadline."),
            ),
        ]

    def __str__(self) -> str:
        return _("Group %(number)s") % {"number": self.number}


class MCLEProfile(TimeStampedModel):
    """A person's MCLE record as the State Bar keeps it, entered by staff: bar number, admission
    date and compliance group, or "not an attorney" (no MCLE obligation). No record, or no
    group recorded yet: the portal asks for the State Bar group and guesses nothing."""

    class Status(models.TextChoices):
        UNRECORDED = "", _("Group not recorded yet")
        GROUP_1 = "1", _("Attorney, compliance group 1")
        GROUP_2 = "2", _("Attorney, compliance group 2")
        GROUP_3 = "3", _("Attorney, compliance group 3")
        NOT_ATTORNEY = "not_attorney", _("Not an attorney")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mcle_profile", verbose_name=_("person")
    )
    status = models.CharField(
        _("State Bar compliance group"), max_length=20, choices=Status.choices, blank=True, default="",
        help_text=_("As recorded by the State Bar."),
    )  # fmt: skip
    bar_number = models.CharField(
        _("State Bar number"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{1,10}$", _("Digits only."))],
    )
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("MCLE record")
        verbose_name_plural = _("MCLE records")
        ordering = ["user__full_name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_status_display()}"

    def clean(self) -> None:
        if self.status not in ("", self.Status.NOT_ATTORNEY) and not self.bar_number:
            raise ValidationError({"bar_number": _("An attorney's State Bar number is needed.")})

    @property
    def is_attorney(self) -> bool:
        return self.status != self.Status.NOT_ATTORNEY

    @property
    def group_number(self) -> int | None:
        return int(self.status) if self.status in ("1", "2", "3") else None


class CertificateStorage(FileSystemStorage):
    """Certificates are never served as media: they live under JCR_PRIVATE_MEDIA_ROOT (by
    default a "private_media" folder next to MEDIA_ROOT) and are sent by a view that checks
    who asks. Read at each use, so tests' MEDIA_ROOT holds."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        root = settings.JCR_PRIVATE_MEDIA_ROOT
        return str(root or Path(settings.MEDIA_ROOT).parent / "private_media")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def certificate_path(instance, filename: str) -> str:
    """A random name; the client's file name is never used."""
    return f"integrity/mcle/{uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class ExternalCredit(TimeStampedModel):
    """MCLE credit earned outside the office's sessions (another provider), entered by the MCLE
    coordinator from the person's certificate. The hours never exceed the minutes attended
    rounded down to the quarter hour (Rules of the State Bar, rule 2.51(D))."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mcle_external_credits",
        verbose_name=_("person"),
    )  # fmt: skip
    provider = models.CharField(_("MCLE provider"), max_length=200)
    course_title = models.CharField(_("course"), max_length=200)
    earned_on = models.DateField(_("date attended"))
    minutes = models.PositiveIntegerField(
        _("minutes attended"), validators=[MinValueValidator(15), MaxValueValidator(24 * 60)]
    )
    category = models.CharField(_("category or subfield"), max_length=20, choices=CreditCategory.choices)
    hours = models.DecimalField(
        _("credit hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    self_study = models.BooleanField(_("self-study"), default=False)
    certificate = models.FileField(
        _("certificate"), upload_to=certificate_path, storage=CertificateStorage(), max_length=200, blank=True
    )
    certificate_type = models.CharField(_("certificate content type"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("external MCLE credit")
        verbose_name_plural = _("external MCLE credits")
        ordering = ["-earned_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="integrity_externalcredit_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course_title} ({self.earned_on:%Y-%m-%d})"


class MCLEReminder(WorkItem):
    """One reminder N days (90, 30, 7) before a compliance period ends: to an attorney short of a
    requirement, or the summary to an MCLE coordinator of those still short (30 and 7 days).
    Planned by the daily pass, sent by the work dispatcher (jcr.core.work). The unique
    constraint makes each one go out once per period."""

    RETRY_SCHEDULE = (60, 300, 900, 3600)

    class Kind(models.TextChoices):
        ATTORNEY = "attorney", _("To the attorney")
        SUMMARY = "summary", _("Summary to the coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mcle_reminders", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ATTORNEY)
    period_end = models.DateField(_("period end"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    hours_missing = models.DecimalField(_("hours missing"), max_digits=5, decimal_places=2, default=Decimal("0"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("MCLE reminder")
        verbose_name_plural = _("MCLE reminders")
        ordering = ["-period_end", "user", "-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period_end", "days_before", "kind"], name="integrity_mclereminder_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="integrity_mclereminder_due_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.period_end} ({self.days_before} days before)"

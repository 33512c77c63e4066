"""People: one User model for staff and residents (e-mail is the login), and lockouts."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. `is_staff` marks bureau staff (invited, second factor required);
    everyone else is a resident with an account of their own. Residents are never staff."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("en", _("English")), ("es", _("Spanish"))], default="en"
    )
    is_staff = models.BooleanField(
        _("bureau staff"),
        default=False,
        help_text=_("Staff sign in with a second factor and reach the staff pages of their units."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Deactivating a person ends all of their sessions at once.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]
        permissions = [
            ("access_outreach", _("Can open the Community Outreach & Media Relations staff pages")),
            ("access_prosecution", _("Can open the Community Prosecution staff pages")),
            ("access_govrelations", _("Can open the Government Relations staff pages")),
            ("access_integrity", _("Can open the Justice, Training & Integrity staff pages")),
            ("access_admin_site", _("Can use the administration site")),
            ("invite_staff", _("Can invite staff members")),
            ("unlock_account", _("Can unlock locked accounts")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class LoginFailure(models.Model):
    """One failed password or second-factor attempt, kept by the e-mail typed (whether or not
    an account exists, so that the response never tells which) and the client address. The
    sign-in throttle counts these rows per address and per (address, e-mail)."""

    class Kind(models.TextChoices):
        PASSWORD = "password", _("Password")
        SECOND_FACTOR = "second_factor", _("Second factor")

    email = models.CharField(_("e-mail typed"), max_length=254, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["ip", "at"], name="accounts_loginfailure_ip_at"),
            models.Index(fields=["ip", "email", "at"], name="accounts_loginfailure_ip_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def lock_expiry() -> datetime:
    return timezone.now() + settings.JCR_LOCKOUT_DURATION


class AccountLock(models.Model):
    """An account locked after repeated wrong second-factor codes typed after the right
    password. It ends by itself at `expires_at`, or sooner when an administrator (or
    `manage.py unlock_account`) unlocks it (`unlocked_at` set); a later lock is a new row."""

    email = models.CharField(_("e-mail"), max_length=254, db_index=True)
    locked_at = models.DateTimeField(_("locked"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("locked until"), default=lock_expiry, help_text=_("The lock ends by itself at this time.")
    )
    ip = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, help_text=_("Where the last wrong code came from.")
    )
    unlocked_at = models.DateTimeField(_("unlocked"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        User, verbose_name=_("unlocked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("account lock")
        verbose_name_plural = _("account locks")
        ordering = ["-locked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(unlocked_at__isnull=True), name="accounts_accountlock_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None and self.expires_at > timezone.now()


class RoleGrant(models.Model):
    """A proposal to give a person a JTI role (a group that opens confidential integrity
    records). Nothing is granted while it is pending: a JTI Chief proposes, a different JTI
    Chief (or a superuser) confirms, and only then is the person added to the group. This is
    the office's two-person rule for access to sealed records."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second person")
        CONFIRMED = "confirmed", _("Confirmed: granted")
        REJECTED = "rejected", _("Rejected")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_grants")
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("role"), on_delete=models.CASCADE, related_name="role_grants"
    )
    reason = models.TextField(_("reason"), help_text=_("Why this person needs the role (kept in the history)."))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        User, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("JTI role grant")
        verbose_name_plural = _("JTI role grants")
        ordering = ["-proposed_at"]
        permissions = [("grant_integrity_roles", _("Can propose and confirm JTI role grants"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=models.Q(status="pending"),
                name="accounts_rolegrant_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.user}"

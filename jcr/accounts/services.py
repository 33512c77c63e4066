"""Writes about people: lockout, staff invitations, deactivation, ending sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from jcr.accounts.models import AccountLock, LoginFailure, User
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue


def _normal(email: str) -> str:
    return (email or "").strip().lower()[:254]


def account_is_locked(*, email: str) -> bool:
    return AccountLock.objects.filter(email=_normal(email), unlocked_at__isnull=True).exists()


@transaction.atomic
def login_failure_record(*, email: str, kind: str, ip: str | None = None) -> bool:
    """Count one failed attempt for `email`; lock it at the limit. Returns True if locked now.

    Failures are kept by the address typed, whether an account exists or not, so the answer
    (and the lock) is the same for both and reveals nothing.
    """
    email = _normal(email)
    if not email:
        return False
    now = timezone.now()
    LoginFailure.objects.create(email=email, kind=kind, at=now, ip=ip)
    if account_is_locked(email=email):
        return True
    recent = LoginFailure.objects.filter(email=email, at__gt=now - settings.JCR_LOCKOUT_WINDOW)
    if recent.count() < settings.JCR_LOCKOUT_ATTEMPTS:
        return False
    lock = AccountLock.objects.create(email=email, locked_at=now)
    audit_record(
        action="accounts.account.lock", obj=lock, actor=None, after={"email": email, "failures": recent.count()}
    )
    user = User.objects.filter(email=email).first()
    if user is not None:
        user_sessions_end(user=user)
    return True


@transaction.atomic
def account_unlock(*, lock: AccountLock, actor: User) -> AccountLock:
    if not actor.has_perm("accounts.unlock_account"):
        raise PermissionDenied
    if lock.unlocked_at is not None:
        return lock
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = actor
    lock.save(update_fields=["unlocked_at", "unlocked_by"])
    LoginFailure.objects.filter(email=lock.email, at__lte=lock.unlocked_at).delete()
    audit_record(action="accounts.account.unlock", obj=lock, actor=actor, after={"email": lock.email})
    return lock


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of `user` (all browsers), except `keep_session_key`."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user=user):
        if keep_session_key and session.session_key == keep_session_key:
            continue
        session.end()
        ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None) -> User:
    if user.is_superuser and actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may change a superuser."))
    before = snapshot(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    user_sessions_end(user=user)
    audit_record(action="accounts.user.deactivate", obj=user, actor=actor, before=before, after=snapshot(user))
    return user


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(str(user.pk).encode())
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:invitation_accept", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def staff_invite(*, email: str, full_name: str, groups: list, actor: User | None, language: str = "en") -> User:
    """Create a staff account with no password and e-mail the invitee a link to set one.

    After setting the password the invitee must enrol a second factor before anything else.
    Raises ValidationError when the address belongs to a resident's account (residents are
    never staff) or to an existing staff member; PermissionDenied when the actor may not give
    one of the `groups` (jcr.accounts.services_access).
    """
    from jcr.accounts.services_access import invite_groups_check

    invite_groups_check(actor=actor, groups=groups)
    email = _normal(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        if not existing.is_staff:
            raise ValidationError(_("This address belongs to a resident's account; staff need their own address."))
        raise ValidationError(_("A staff member with this address already exists."))
    user = User(email=email, full_name=full_name.strip(), is_staff=True, invited_at=timezone.now())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.set(groups)
    audit_record(
        action="accounts.user.invite",
        obj=user,
        actor=actor,
        after={**snapshot(user), "groups": [g.name for g in groups]},
    )
    email_queue(
        to=user.email,
        template="accounts/invitation",
        context={"user": user, "link": invitation_link(user), "invited_by": actor},
        language=language,
        related=user,
    )
    return user


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    if not user.is_staff or not user.is_active:
        raise ValidationError(_("This invitation is no longer valid."))
    user.set_password(password)
    user.save(update_fields=["password"])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    audit_record(action="accounts.user.invitation_accept", obj=user, actor=user)
    return user

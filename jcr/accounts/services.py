"""Writes about people: sign-in throttle and lockout, staff invitations, deactivation, ending sessions."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from jcr.accounts.models import AccountLock, LoginFailure, User
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue


def _normal(email: str) -> str:
    return (email or "").strip().lower()[:254]


def account_lock_active(*, email: str) -> AccountLock | None:
    """The lock in force on `email` now (not unlocked, not expired), or None."""
    return (
        AccountLock.objects.filter(email=_normal(email), unlocked_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-locked_at")
        .first()
    )


def account_is_locked(*, email: str) -> bool:
    return account_lock_active(email=email) is not None


def _backoff_wait(failures: QuerySet[LoginFailure], *, free: int, now) -> float:
    """Seconds still to wait after `failures` (within the window): none for the first
    `free`, then JCR_LOGIN_BACKOFF_SECONDS after the latest one, doubling with each further
    failure, at most JCR_LOGIN_BACKOFF_MAX."""
    stats = failures.aggregate(n=Count("pk"), last=Max("at"))
    over = stats["n"] - free
    if over < 0:
        return 0.0
    cap = settings.JCR_LOGIN_BACKOFF_MAX.total_seconds()
    wait = min(settings.JCR_LOGIN_BACKOFF_SECONDS * 2 ** min(over, 32), cap)
    return max(0.0, (stats["last"] + timedelta(seconds=wait) - now).total_seconds())


def login_throttle_retry_after(*, email: str, ip: str | None) -> int:
    """Seconds before `ip` may try again to sign in as `email`; 0 when it may now.

    Failures are counted per client address (many accounts tried from one place) and per
    (address, e-mail typed) (one account tried from one place), never per account alone: an
    attacker's failures slow the attacker down, not the owner signing in from elsewhere. The
    e-mail is the one typed, whether or not an account exists, so the answer reveals nothing.
    """
    now = timezone.now()
    recent = LoginFailure.objects.filter(ip=ip, at__gt=now - settings.JCR_LOGIN_THROTTLE_WINDOW)
    wait = max(
        _backoff_wait(recent, free=settings.JCR_LOGIN_FREE_FAILURES_PER_IP, now=now),
        _backoff_wait(recent.filter(email=_normal(email)), free=settings.JCR_LOGIN_FREE_FAILURES_PER_ACCOUNT, now=now),
    )
    return math.ceil(wait)


@transaction.atomic
def login_failure_record(*, email: str, kind: str, ip: str | None = None) -> AccountLock | None:
    """Record one failed attempt for `email` from `ip`. Returns the lock in force when the
    account is locked (now or already), otherwise None.

    Only wrong second-factor codes lock, and only an existing account: they come after the
    right password, so a stranger guessing passwords can never lock anyone out. The count
    starts again after a successful sign-in and after each lock.
    """
    email = _normal(email)
    if not email:
        return None
    now = timezone.now()
    LoginFailure.objects.create(email=email, kind=kind, at=now, ip=ip)
    if kind != LoginFailure.Kind.SECOND_FACTOR:
        return None
    user = User.objects.select_for_update().filter(email=email).first()  # serialises the count
    if user is None:
        return None
    if lock := account_lock_active(email=email):
        return lock
    since = now - settings.JCR_LOCKOUT_WINDOW
    if user.last_login is not None:
        since = max(since, user.last_login)
    last_lock = AccountLock.objects.filter(email=email).order_by("-locked_at").first()
    if last_lock is not None:
        since = max(since, last_lock.unlocked_at or last_lock.expires_at)
    failures = LoginFailure.objects.filter(email=email, kind=kind, at__gt=since).count()
    if failures < settings.JCR_LOCKOUT_ATTEMPTS:
        return None
    # An expired lock is closed at its expiry, so that only one lock row is open at a time.
    AccountLock.objects.filter(email=email, unlocked_at__isnull=True, expires_at__lte=now).update(
        unlocked_at=F("expires_at")
    )
    lock = AccountLock.objects.create(email=email, locked_at=now, expires_at=now + settings.JCR_LOCKOUT_DURATION, ip=ip)
    audit_record(
        action="accounts.account.lock",
        obj=lock,
        actor=None,
        after={"email": email, "failures": failures, "expires_at": lock.expires_at.isoformat()},
    )
    # The person's sessions are left alone: whoever typed the codes had the password only.
    email_queue(
        to=user.email,
        template="accounts/account_locked",
        context={"user": user, "lock": lock},
        language=user.preferred_language,
        related=lock,
    )
    return lock


@transaction.atomic
def account_unlock(*, lock: AccountLock, actor: User | None, by: str = "") -> AccountLock:
    """End `lock` now and tell the person. `actor` needs `accounts.unlock_account`; None is
    the command line (`manage.py unlock_account`, named in `by`), for when no administrator
    can sign in. Raises PermissionDenied."""
    if actor is not None and not actor.has_perm("accounts.unlock_account"):
        raise PermissionDenied
    lock = AccountLock.objects.select_for_update().get(pk=lock.pk)
    if lock.unlocked_at is not None:
        return lock
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = actor
    lock.save(update_fields=["unlocked_at", "unlocked_by"])
    after = {"email": lock.email, **({"by": by} if by else {})}
    audit_record(action="accounts.account.unlock", obj=lock, actor=actor, after=after)
    user = User.objects.filter(email=lock.email).first()
    if user is not None:
        email_queue(
            to=user.email,
            template="accounts/account_unlocked",
            context={"user": user, "lock": lock},
            language=user.preferred_language,
            related=lock,
        )
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

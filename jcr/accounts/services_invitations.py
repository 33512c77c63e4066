"""Invitations: an administrator invites a staff member, who sets a password by the link."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.accounts.models import User
from jcr.accounts.services import invitation_link
from jcr.accounts.services_access import invite_groups_check
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue


@transaction.atomic
def staff_invite(*, email: str, full_name: str, groups: list, actor: User | None, language: str = "en") -> User:
    """Create a staff account with no password and e-mail the invitee a link to set one.

    After setting the password the invitee must enrol a second factor before anything else.
    Raises ValidationError when the address belongs to a resident's account (residents are
    never staff) or to an existing staff member; PermissionDenied when the actor may not give
    one of the `groups` (jcr.accounts.services_access).
    """
    invite_groups_check(actor=actor, groups=groups)
    email = (email or "").strip().lower()[:254]
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
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    audit_record(action="accounts.user.invitation_accept", obj=user, actor=user)
    return user

"""Who hears that a concern was reopened, so that nobody falls through: its owner, or, when it
has none (or the owner left), the community prosecutors of its areas and the CPU supervisors."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q

from jcr.accounts.models import User
from jcr.core.models import AreaAssignment
from jcr.core.services import email_queue
from prosecution.concerns.models import Concern


def cpu_supervisors():
    """Active CPU staff who see every concern and may change it (permissions held through a role
    group or given to the person; superusers are not included by implication)."""

    def holders(codename: str) -> Q:
        perm = Permission.objects.filter(content_type__app_label="prosecution", codename=codename)
        return Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)

    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(pk__in=User.objects.filter(holders("view_all_concerns")).values("pk"))
        .filter(pk__in=User.objects.filter(holders("change_concern")).values("pk"))
        .order_by("pk")
    )


def reopen_recipients(concern: Concern) -> tuple[list[User], bool]:
    """(people to tell, whether the concern has an owner)."""
    owner = concern.assignee
    if owner is not None and owner.is_active and owner.email:
        return [owner], True
    prosecutors = User.objects.filter(
        is_active=True,
        is_staff=True,
        area_assignments__role=AreaAssignment.Role.COMMUNITY_PROSECUTOR,
        area_assignments__area__in=concern.areas.values("pk"),
    )
    people = {u.pk: u for u in prosecutors.distinct().order_by("pk")}
    for supervisor in cpu_supervisors():
        people.setdefault(supervisor.pk, supervisor)
    return [p for p in people.values() if p.email], False


def concern_reopened_notify(*, concern: Concern, actor=None) -> int:
    """E-mail the people of `reopen_recipients` (never the person who reopened it), each in
    their language; the e-mails leave after the caller's transaction commits. Returns how many."""
    people, owned = reopen_recipients(concern)
    sent = 0
    for person in people:
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        email_queue(
            to=person.email,
            template="prosecution/concern_reopened",
            context={
                "concern": concern,
                "reopened_by": (actor.full_name or actor.email) if actor is not None else "",
                "unowned": not owned,
            },
            language=person.preferred_language,
            related=concern,
        )
        sent += 1
    return sent

"""Object rules: a community prosecutor sees the concerns of their areas and those assigned to
them; supervisors see all; anyone else gets 404 for a concern outside their scope."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from prosecution.concerns.models import Concern


def concern_scope(*, user) -> Q | None:
    """The filter of the concerns `user` may see, or None for all of them."""
    if user.has_perm("prosecution.view_all_concerns"):
        return None
    return Q(assignee=user) | Q(areas__assignments__user=user)


def concern_list_visible_to(*, user) -> QuerySet[Concern]:
    qs = Concern.objects.select_related("category", "assignee")
    if not user.has_perm("prosecution.view_concern"):
        return qs.none()
    scope = concern_scope(user=user)
    if scope is None:
        return qs
    return qs.filter(pk__in=Concern.objects.filter(scope).values("pk"))


def concern_get_for_staff(*, user, public_id: UUID, for_edit: bool = False, page: bool = False) -> Concern:
    """The concern if `user` may see it: 404 outside their scope, 403 if they may only read.
    `page`: also annotate `has_duplicates` (for the concern page, in the same query)."""
    qs = concern_list_visible_to(user=user)
    if page:
        qs = qs.annotate(has_duplicates=Exists(Concern.objects.filter(duplicate_of=OuterRef("pk"))))
    concern = qs.filter(public_id=public_id).first()
    if concern is None:
        raise Http404
    if for_edit and not user.has_perm("prosecution.change_concern"):
        raise PermissionDenied
    return concern

"""Object rules of problem-solving projects: the same rule as concerns (their areas, or owned
by the person)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from prosecution.projects.models import Project


def project_list_visible_to(*, user):
    """Projects `user` may see: supervisors all, community prosecutors those in their areas or
    that they own, anyone without `prosecution.view_project` none."""
    qs = Project.objects.select_related("owner")
    if not user.has_perm("prosecution.view_project"):
        return qs.none()
    if user.has_perm("prosecution.view_all_concerns"):
        return qs
    visible = Project.objects.filter(Q(owner=user) | Q(areas__assignments__user=user)).values("pk")
    return qs.filter(pk__in=visible)


def project_get_for_staff(*, user, public_id: UUID, for_edit: bool = False):
    """The project if `user` may see it: 404 outside their scope, 403 if they may only read."""
    project = project_list_visible_to(user=user).filter(public_id=public_id).first()
    if project is None:
        raise Http404
    if for_edit and not user.has_perm("prosecution.change_project"):
        raise PermissionDenied
    return project

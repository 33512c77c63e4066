"""Reads of the program catalogue and of presentation requests."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import ngettext

from outreach.programs.models import Language, PresentationRequest, Program, Topic


def topic_list() -> list[Topic]:
    return list(Topic.objects.all())


def language_q(field: str, code: str) -> Q:
    """Events or programs given in `code` ("en" or "es"), bilingual ones included."""
    return Q(**{field: code}) | Q(**{field: Language.BILINGUAL})


def program_list_public(*, filters: dict | None = None) -> QuerySet[Program]:
    filters = filters or {}
    qs = Program.objects.filter(is_active=True).prefetch_related("topics")
    if filters.get("audience"):
        qs = qs.filter(audience=filters["audience"])
    if filters.get("topic"):
        qs = qs.filter(topics__slug=filters["topic"])
    if filters.get("language"):
        qs = qs.filter(language_q("language", filters["language"]))
    return qs.distinct()


def program_get_public(*, slug: str) -> Program:
    program = Program.objects.filter(slug=slug, is_active=True).prefetch_related("topics").first()
    if program is None:
        raise Http404
    return program


# --- Presentation requests (staff) ---------------------------------------------------------


def presentation_request_list_staff(*, status: str = "") -> QuerySet[PresentationRequest]:
    qs = PresentationRequest.objects.select_related("program", "presenter")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def presentation_request_get_for_staff(*, public_id) -> PresentationRequest:
    request = PresentationRequest.objects.select_related("program", "presenter").filter(public_id=public_id).first()
    if request is None:
        raise Http404
    return request


def presentation_request_count_new() -> int:
    return PresentationRequest.objects.filter(status=PresentationRequest.Status.NEW).count()


def presentation_dashboard_items(*, user) -> list[dict]:
    """The staff dashboard's line for new presentation requests (one query)."""
    if not user.has_perm("outreach.view_presentationrequest"):
        return []
    new = presentation_request_count_new()
    if not new:
        return []
    label = ngettext("%(n)d new presentation request", "%(n)d new presentation requests", new)
    return [{"label": label % {"n": new}, "url": reverse("outreach:staff_presentation_list") + "?status=new"}]

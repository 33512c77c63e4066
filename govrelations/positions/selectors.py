"""Reads of positions: a position or letter for the unit's staff, and the published (approved)
positions the public pages and the feed show. Memos, comments and proposals never show."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from govrelations.positions.models import Position, PositionLetter


def position_get_for_staff(*, public_id) -> Position:
    return get_object_or_404(Position.objects.select_related("bill__session"), public_id=public_id)


def letter_get_for_staff(*, public_id) -> PositionLetter:
    return get_object_or_404(
        PositionLetter.objects.select_related("position__bill__session__jurisdiction"), public_id=public_id
    )


def position_list_published() -> QuerySet[Position]:
    return Position.objects.filter(status=Position.Status.APPROVED).select_related("bill__session__jurisdiction")


def letter_get_public(*, public_id) -> PositionLetter:
    """A letter of a position that is currently approved (404 otherwise)."""
    letter = (
        PositionLetter.objects.filter(public_id=public_id, position__status=Position.Status.APPROVED)
        .select_related("position__bill__session__jurisdiction")
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def position_list_for_feed(*, limit: int = 30) -> list[Position]:
    return list(position_list_published().order_by("-decided_at", "-id")[:limit])

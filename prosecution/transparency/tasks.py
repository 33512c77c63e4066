"""Thin Celery task of the public dashboard and the open data."""

from __future__ import annotations

from celery import shared_task

from prosecution.transparency.services import concern_stats_rebuild as rebuild


@shared_task(
    name="prosecution.transparency.concern_stats_rebuild", acks_late=True, time_limit=1800, soft_time_limit=1500
)
def concern_stats_rebuild() -> int:
    """Every 15 minutes: recompute the public dashboard's figures and the open-data files.

    A redelivered or overlapping run is harmless: each run replaces every row in one
    transaction, one run at a time. Returns the id of the new build."""
    return rebuild().pk

"""Celery tasks of the Community Outreach & Media Relations Unit (found by autodiscovery)."""

from outreach.tasks_dialogues import dialogue_draws_due, dialogue_offers_lapse

__all__ = ["dialogue_draws_due", "dialogue_offers_lapse"]

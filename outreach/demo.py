"""Demo data of the Community Outreach & Media Relations Unit for `manage.py seed_demo`."""

from outreach import demo_dialogues


def seed() -> int:
    return demo_dialogues.seed()

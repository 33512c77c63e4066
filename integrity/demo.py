"""Demo data of the Justice, Training & Integrity Unit for `manage.py seed_demo`; each part
of the unit seeds its own."""

from integrity import demo_training


def seed() -> None:
    demo_training.seed()

"""Demo data of the Justice, Training & Integrity Unit for `manage.py seed_demo` (idempotent):
each part of the unit seeds its own."""

from integrity import demo_policies, demo_records, demo_training


def seed() -> None:
    demo_training.seed()
    demo_policies.seed()
    demo_records.seed()

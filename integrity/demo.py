"""Demo data of the Justice, Training & Integrity Unit (called by `manage.py seed_demo`)."""


def seed() -> None:
    from integrity import demo_records

    demo_records.seed()

"""Demo data of the unit for `manage.py seed_demo` (idempotent)."""


def seed() -> None:
    # Media
    from outreach import demo_media

    demo_media.seed()

"""Quality-gate hooks of the Community Prosecution Unit (see jcr.core.testing.hook_modules)."""

from __future__ import annotations

from prosecution.models import Category, Concern, ConcernPhoto, ConcernUpdate, Question


def admin_rows_ensure() -> None:
    """One row of each model for the admin's object pages."""
    from prosecution.tests.factories import ConcernPhotoFactory, ConcernUpdateFactory, QuestionFactory

    if not Question.objects.exists():
        QuestionFactory()
    if not ConcernUpdate.objects.exists():
        ConcernUpdateFactory()
    if not ConcernPhoto.objects.exists():
        concern = Concern.objects.order_by("pk").first()
        ConcernPhotoFactory(**({"concern": concern} if concern else {}))
    assert Category.objects.exists()


def seed_private_markers(*, personas, marker) -> list[str]:
    """A resident's contact details, the raw text of a sensitive concern, an internal note."""
    from prosecution.tests.factories import CategoryFactory, ConcernFactory, ConcernUpdateFactory

    name, email_user, phone = marker("concern-name"), marker("concern-email"), marker("concern-phone")
    public = ConcernFactory(contact_name=name, contact_email=f"{email_user}@example.org", contact_phone=phone)
    note = marker("concern-note")
    ConcernUpdateFactory(concern=public, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text=note)
    sensitive_text = marker("sensitive-text")
    sensitive_address = marker("sensitive-address")
    ConcernFactory(
        category=CategoryFactory(code="marker-sensitive", is_sensitive=True),
        description=sensitive_text,
        address=sensitive_address,
    )
    return [name, email_user, phone, note, sensitive_text, sensitive_address]

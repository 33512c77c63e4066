"""Quality-gate hooks of the community dialogues (merged into outreach/tests/hooks.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

from django.utils import timezone

from tests.support import Route, Sample


def _series(**kwargs):
    from outreach.dialogues.tests.factories import DialogueSeatsFactory, DialogueSessionFactory

    session = DialogueSessionFactory(**{f"series__{k}": v for k, v in kwargs.items()})
    DialogueSeatsFactory(session=session)
    return session


def _series_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A published series with an open window and a session."""
    return Sample(kwargs={"slug": _series().series.slug})


def _application_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from outreach.dialogues.tests.factories import DialogueApplicationFactory

    application = DialogueApplicationFactory(session=_series())
    return Sample(kwargs={"slug": application.series.slug, "public_id": application.public_id})


def _respond_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A selected applicant's accept/decline link."""
    from outreach.dialogues.models import DialogueApplication
    from outreach.dialogues.tests.factories import DialogueApplicationFactory

    existing = DialogueApplication.objects.filter(response_token="sample-response-token").first()
    application = existing or DialogueApplicationFactory(
        session=_series(),
        status=DialogueApplication.Status.SELECTED,
        response_token="sample-response-token",
        response_deadline=timezone.now() + timedelta(days=5),
    )
    return Sample(kwargs={"token": application.response_token})


def _recommendation_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from outreach.dialogues.tests.factories import RecommendationFactory, SubcommitteeFactory

    recommendation = RecommendationFactory(subcommittee=SubcommitteeFactory(series=_series().series))
    return Sample(kwargs={"slug": recommendation.subcommittee.series.slug, "public_id": recommendation.public_id})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "outreach:dialogue_detail": _series_sample,
        "outreach:dialogue_apply": _series_sample,
        "outreach:dialogue_draw_record": _series_sample,
        "outreach:dialogue_draw_record_json": _series_sample,
        "outreach:dialogue_recommendation_list": _series_sample,
        "outreach:dialogue_apply_done": _application_sample,
        "outreach:dialogue_respond": _respond_sample,
        "outreach:dialogue_recommendation_detail": _recommendation_sample,
        "outreach:staff_dialogue_series": _series_sample,
        "outreach:staff_dialogue_draw": _series_sample,
        "outreach:staff_dialogue_export": _series_sample,
        "outreach:staff_dialogue_application": _application_sample,
        "outreach:staff_dialogue_eligibility": _application_sample,
    }


def admin_rows_ensure() -> None:
    """One row of each dialogue model for the admin's object pages."""
    from outreach.dialogues.models import DialogueApplication, Recommendation
    from outreach.dialogues.tests.factories import DialogueApplicationFactory, RecommendationFactory

    if not DialogueApplication.objects.exists():
        DialogueApplicationFactory(session=_series())
    if not Recommendation.objects.exists():
        RecommendationFactory()


def seed_private_markers(*, personas, marker) -> list[str]:
    """Applicants' names, e-mails, phones and addresses (before and after a draw), a session's
    location, and the secret seed of a series whose window is still open."""
    from outreach.dialogues import services as services_dialogues
    from outreach.dialogues.models import DialogueSeries
    from outreach.dialogues.tests.factories import DialogueApplicationFactory

    tokens = []
    open_session = _series()
    location = marker("dialogue-location")
    open_session.location = location
    open_session.save()
    tokens.append(location)
    tokens.append(open_session.series.seed)  # secret until the draw

    drawn_session = _series()
    for label in ("open", "drawn"):
        session = open_session if label == "open" else drawn_session
        name, email, phone, address = (
            marker(f"dialogue-{label}-{what}") for what in ("name", "email", "phone", "addr")
        )
        DialogueApplicationFactory(
            session=session, name=name, email=f"{email}@example.org", phone=phone, address=address
        )
        tokens += [name, email, phone, address]
    drawn_location = marker("dialogue-drawn-location")
    drawn_session.location = drawn_location
    drawn_session.save()
    tokens.append(drawn_location)
    DialogueSeries.objects.filter(pk=drawn_session.series_id).update(
        applications_open_at=timezone.now() - timedelta(days=10),
        applications_close_at=timezone.now() - timedelta(minutes=5),
    )
    services_dialogues.dialogue_draw_run(series=drawn_session.series)
    return tokens

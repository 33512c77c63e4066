"""Quality-gate hooks of the Community Prosecution Unit (see jcr.core.testing.hook_modules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from jcr.core.testing import Route, Sample
from prosecution.models import Category, Concern, ConcernPhoto, ConcernUpdate, Open311Client, Question


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
    if not Open311Client.objects.exists():
        from prosecution.open311.keys import open311_client_create

        open311_client_create(name="Sample Open311 app")
    _projects_admin_rows_ensure()
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
    return [name, email_user, phone, note, sensitive_text, sensitive_address, *_projects_markers(marker)]


def _concern_in_area_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A concern in the area of `community_prosecutor`: outside the scope of
    `prosecutor_other_area`, who must get 404."""
    from prosecution.tests.factories import ConcernFactory

    area = personas["community_prosecutor"].area_assignments.order_by("pk").first().area
    concern = ConcernFactory()
    concern.areas.set([area])
    return Sample(kwargs={"public_id": concern.public_id}, outside=frozenset({"prosecutor_other_area"}))


def _concern_tracking_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A public concern's tracking code (whoever holds it may open its tracking pages)."""
    from prosecution.tests.factories import ConcernFactory

    concern = Concern.objects.filter(tracking_code="SAMPLE34").first() or ConcernFactory(tracking_code="SAMPLE34")
    return Sample(kwargs={"tracking_code": concern.tracking_code})


def _area_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A police district's public page."""
    from jcr.core.models import Area
    from jcr.core.tests.factories import AreaFactory

    area = Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT).order_by("pk").first() or AreaFactory()
    return Sample(kwargs={"slug": area.slug})


def _open311_request_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A public concern's service_request_id (its tracking code)."""
    sample = _concern_tracking_sample(personas, route)
    return Sample(kwargs={"service_request_id": sample.kwargs["tracking_code"]})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        # staff
        "prosecution:staff_concern_*": _concern_in_area_sample,
        # public
        "prosecution:report_form": lambda p, r: Sample(kwargs={"code": "graffiti"}),
        "prosecution:report_done": _concern_tracking_sample,
        "prosecution:concern_track": _concern_tracking_sample,
        "prosecution:concern_add_info": _concern_tracking_sample,
        "prosecution:concern_not_fixed": _concern_tracking_sample,
        # open311
        "prosecution:open311_service_definition_*": lambda p, r: Sample(kwargs={"service_code": "graffiti"}),
        "prosecution:open311_request_*": _open311_request_sample,
        # No token is ever issued (requests get their id at once): every token is unknown.
        "prosecution:open311_token_*": lambda p, r: Sample(kwargs={"token": "no-such-token"}, ok=404),
        # areas
        "prosecution:area_detail": _area_sample,
        # partners, projects, follow-up
        "prosecution:staff_partner_*": _partner_sample,
        "prosecution:staff_partner_contact_remove": _partner_contact_sample,
        "prosecution:staff_project_*": _project_in_area_sample,
        "prosecution:staff_project_concern_remove": _project_concern_sample,
        "prosecution:staff_project_action_done": _project_action_sample,
        "prosecution:project_public": _public_project_sample,
        "prosecution:followup_answer": _followup_sample,
    }


# --- Partners, referrals, projects and follow-ups ---------------------------------------------

SAMPLE_PUBLIC_PROJECT = "Sample public project"
SAMPLE_FOLLOWUP_TOKEN = "sample-followup-token-0000000000"


def _projects_admin_rows_ensure() -> None:
    from prosecution.models import FollowUp, OwnerContact, PartnerContact, Project, ProjectAction, Referral
    from prosecution.tests.factories import (
        FollowUpFactory,
        OwnerContactFactory,
        PartnerContactFactory,
        ProjectActionFactory,
        ReferralFactory,
    )

    if not PartnerContact.objects.exists():
        PartnerContactFactory()
    if not Referral.objects.exists():
        concern = Concern.objects.order_by("pk").first()
        ReferralFactory(**({"concern": concern} if concern else {}))
    if not Project.objects.exists() or not ProjectAction.objects.exists():
        ProjectActionFactory(
            **({"project": Project.objects.order_by("pk").first()} if Project.objects.exists() else {})
        )
    if not OwnerContact.objects.exists():
        OwnerContactFactory(project=Project.objects.order_by("pk").first())
    if not FollowUp.objects.exists():
        FollowUpFactory()


def _public_project():
    """The public project in the first police district (public pages and their samples)."""
    from prosecution.models import Project
    from prosecution.tests.factories import PartnerFactory, ProjectFactory

    project = Project.objects.filter(title=SAMPLE_PUBLIC_PROJECT).first()
    if project is None:
        project = ProjectFactory(title=SAMPLE_PUBLIC_PROJECT, is_public=True, public_summary="Clean-up of the lot.")
        project.partner_links.create(partner=PartnerFactory(name="Sample code enforcement"), role="Inspections")
        area = _area_sample({}, None).kwargs["slug"]
        from jcr.core.models import Area

        project.areas.set(Area.objects.filter(slug=area, kind=Area.Kind.POLICE_DISTRICT))
    return project


def _projects_markers(marker) -> list[str]:
    """The internal analysis and owner contact log of a public project, a referral's message,
    a partner's notes and contact, a project action: none of them is ever public."""
    from prosecution.tests.factories import (
        OwnerContactFactory,
        PartnerContactFactory,
        ProjectActionFactory,
        ReferralFactory,
    )

    project = _public_project()
    analysis, owner_name, owner_summary = marker("project-analysis"), marker("owner-name"), marker("owner-summary")
    project.analysis = analysis
    project.parcel_number = marker("apn")[:40]
    project.address = marker("project-address")
    project.save(update_fields=["analysis", "parcel_number", "address"])
    OwnerContactFactory(project=project, contact_name=owner_name, summary=owner_summary)
    action = marker("project-action")
    ProjectActionFactory(project=project, description=action)
    message, notes, contact_email = marker("referral-message"), marker("partner-notes"), marker("partner-contact")
    link = project.partner_links.select_related("partner").first()
    partner = link.partner
    partner.notes = notes
    partner.save(update_fields=["notes"])
    PartnerContactFactory(partner=partner, email=f"{contact_email}@partner.example.org")
    ReferralFactory(partner=partner, message=message)
    return [
        analysis,
        owner_name,
        owner_summary,
        project.parcel_number,
        project.address,
        action,
        message,
        notes,
        contact_email,
    ]


def _partner_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from prosecution.tests.factories import PartnerFactory

    return Sample(kwargs={"public_id": PartnerFactory().public_id})


def _partner_contact_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from prosecution.tests.factories import PartnerContactFactory

    contact = PartnerContactFactory()
    return Sample(kwargs={"public_id": contact.partner.public_id, "contact_id": contact.public_id})


def _project_in_area(personas: Mapping[str, object]):
    from prosecution.tests.factories import ProjectFactory

    area = personas["community_prosecutor"].area_assignments.order_by("pk").first().area
    project = ProjectFactory()
    project.areas.set([area])
    return project


def _project_in_area_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A project in the area of `community_prosecutor`: outside the scope of
    `prosecutor_other_area`, who must get 404."""
    project = _project_in_area(personas)
    return Sample(kwargs={"public_id": project.public_id}, outside=frozenset({"prosecutor_other_area"}))


def _project_concern_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from prosecution.tests.factories import ConcernFactory

    project = _project_in_area(personas)
    concern = ConcernFactory()
    project.concern_links.create(concern=concern)
    return Sample(
        kwargs={"public_id": project.public_id, "concern_id": concern.public_id},
        outside=frozenset({"prosecutor_other_area"}),
    )


def _project_action_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from prosecution.tests.factories import ProjectActionFactory

    action = ProjectActionFactory(project=_project_in_area(personas))
    return Sample(
        kwargs={"public_id": action.project.public_id, "action_id": action.public_id},
        outside=frozenset({"prosecutor_other_area"}),
    )


def _public_project_sample(personas: Mapping[str, object], route: Route) -> Sample:
    return Sample(kwargs={"public_id": _public_project().public_id})


def _followup_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A follow-up sent today to the resident of a resolved concern (its token is the key)."""
    from prosecution.models import FollowUp
    from prosecution.tests.factories import FollowUpFactory

    followup = FollowUp.objects.filter(token=SAMPLE_FOLLOWUP_TOKEN).first()
    if followup is None:
        followup = FollowUpFactory()
        FollowUp.objects.filter(pk=followup.pk).update(token=SAMPLE_FOLLOWUP_TOKEN)
    return Sample(kwargs={"token": SAMPLE_FOLLOWUP_TOKEN})

"""Quality-gate hooks of the Community Prosecution Unit (see tests.support.hook_modules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from prosecution.concerns.models import (
    Concern,
    ConcernPhoto,
    ConcernUpdate,
    OverdueDigest,
    ResponseTemplate,
    ServiceLevel,
)
from prosecution.concerns.models_categories import Category, Question
from prosecution.concerns.models_follow import AreaAlert, ConcernFollow, OptInStatus
from prosecution.concerns.models_queue import SavedQueueFilter
from prosecution.concerns.tests.factories import (
    CategoryFactory,
    ConcernFactory,
    ConcernPhotoFactory,
    ConcernUpdateFactory,
    QuestionFactory,
)
from prosecution.open311.models import Open311Client
from prosecution.partners.models import FollowUp, PartnerContact, Referral
from prosecution.partners.tests.factories import FollowUpFactory, PartnerContactFactory, PartnerFactory, ReferralFactory
from prosecution.projects.models import OwnerContact, Project, ProjectAction
from prosecution.projects.tests.factories import OwnerContactFactory, ProjectActionFactory, ProjectFactory
from prosecution.transparency.models import ConcernStatsBuild
from tests.support import Route, Sample


def admin_rows_ensure() -> None:
    """One row of each model for the admin's object pages."""

    if not Question.objects.exists():
        QuestionFactory()
    if not ConcernUpdate.objects.exists():
        ConcernUpdateFactory()
    if not ConcernPhoto.objects.exists():
        concern = Concern.objects.order_by("pk").first()
        ConcernPhotoFactory(**({"concern": concern} if concern else {}))
    if not ResponseTemplate.objects.exists():
        ResponseTemplate.objects.create(
            title="Sample template", text="We are looking into it.", text_es="Lo revisamos."
        )
    if not ServiceLevel.objects.exists():
        ServiceLevel.objects.create(priority=Concern.Priority.HIGH, acknowledge_days=1, resolve_days=10)
    if not OverdueDigest.objects.exists():
        from jcr.accounts.models import User

        person = User.objects.filter(is_staff=True).order_by("pk").first()
        if person is not None:
            OverdueDigest.objects.create(recipient=person, day=date(2026, 1, 5), concern_count=1)
    if not SavedQueueFilter.objects.exists():
        from jcr.accounts.models import User

        person = User.objects.filter(is_staff=True).order_by("pk").first()
        if person is not None:
            SavedQueueFilter.objects.create(user=person, params={"overdue": "on"})
    _follow_admin_rows_ensure()
    if not Open311Client.objects.exists():
        from prosecution.open311.keys import open311_client_create

        open311_client_create(name="Sample Open311 app")
    _projects_admin_rows_ensure()
    assert Category.objects.exists()
    _figures_ensure()


def _figures_ensure() -> None:
    """The dashboard's figures and open-data files, computed over the rows that exist now."""
    from prosecution.transparency.services import concern_stats_rebuild

    if not ConcernStatsBuild.objects.exists():
        concern_stats_rebuild()


def seed_private_markers(*, personas, marker) -> list[str]:
    """A resident's contact details, the raw text of a sensitive concern, an internal note;
    the resident's own words of a concern whose public text staff edited or have not reviewed, the stored
    names of a hidden photo and of the original of a blurred one (on the tracking sample)."""

    name, email_user, phone = marker("concern-name"), marker("concern-email"), marker("concern-phone")
    public = ConcernFactory(contact_name=name, contact_email=f"{email_user}@example.org", contact_phone=phone)
    note = marker("concern-note")
    ConcernUpdateFactory(concern=public, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text=note)
    detail = marker("close-detail")
    ConcernFactory(status=Concern.Status.CLOSED, close_reason=Concern.CloseReason.NOT_OURS, close_detail=detail)
    sensitive_text = marker("sensitive-text")
    sensitive_address = marker("sensitive-address")
    ConcernFactory(
        category=CategoryFactory(code="marker-sensitive", is_sensitive=True),
        description=sensitive_text,
        address=sensitive_address,
    )
    original = marker("edited-original")
    tracked = _tracking_concern()
    Concern.objects.filter(pk=tracked.pk).update(
        description=original, public_description="Tags on the wall", public_text_state=Concern.TextState.PUBLISHED
    )
    # Text staff have not reviewed: the concern is public (on the area page), its text is not.
    from jcr.core.models import Area

    unreviewed = marker("unreviewed-text")
    ConcernFactory(description=unreviewed).areas.set(
        Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT, slug=_area_sample({}, None).kwargs["slug"])
    )
    hidden_name, blurred_name = marker("photo-hidden"), marker("photo-original")
    ConcernPhotoFactory(concern=tracked, image=f"concerns/{hidden_name}.png", is_hidden=True)
    ConcernPhotoFactory(
        concern=tracked,
        image=f"concerns/{blurred_name}.png",
        thumbnail=f"concerns/{blurred_name}_thumb320.png",
        public_image=_stored_png("concerns/public/blurred.png"),
        redactions=[{"x": 0, "y": 0, "width": 100, "height": 100}],
    )
    follower = marker("follower-email")
    ConcernFollow.objects.create(concern=tracked, email=f"{follower}@example.org", status=OptInStatus.CONFIRMED)
    return [
        *(name, email_user, phone, note, detail, sensitive_text, sensitive_address, follower),
        *(original, hidden_name, blurred_name, unreviewed),
        *_projects_markers(marker),
    ]


def _stored_png(name: str) -> str:
    """A small PNG saved through default storage (the public photo routes serve real files)."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (90, 120, 150)).save(out, format="PNG")
    return default_storage.save(name, ContentFile(out.getvalue()))


def _tracking_concern() -> Concern:
    return Concern.objects.filter(tracking_code="SAMPLE34").first() or ConcernFactory(tracking_code="SAMPLE34")


def _photo_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A public photo (of the tracking sample) with its file in storage."""

    photo = ConcernPhoto.objects.filter(concern__tracking_code="SAMPLE34", is_hidden=False, redactions=[]).first()
    if photo is None:
        photo = ConcernPhotoFactory(concern=_tracking_concern(), image=_stored_png("concerns/sample.png"))
    return Sample(kwargs={"public_id": photo.public_id})


def _concern_in_area_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A concern in the area of `community_prosecutor`: outside the scope of
    `prosecutor_other_area`, who must get 404."""

    area = personas["community_prosecutor"].area_assignments.order_by("pk").first().area
    concern = ConcernFactory()
    concern.areas.set([area])
    return Sample(kwargs={"public_id": concern.public_id}, outside=frozenset({"prosecutor_other_area"}))


def _staff_photo_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A photo (with its file in storage) of a concern in the area of `community_prosecutor`."""

    sample = _concern_in_area_sample(personas, route)
    concern = Concern.objects.get(public_id=sample.kwargs["public_id"])
    photo = ConcernPhotoFactory(concern=concern, image=_stored_png("concerns/staff-sample.png"))
    return Sample(kwargs=sample.kwargs, query=f"photo={photo.public_id}&version=original", outside=sample.outside)


def _concern_tracking_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A public concern's tracking code (whoever holds it may open its tracking pages)."""
    return Sample(kwargs={"tracking_code": _tracking_concern().tracking_code})


def _concern_action_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """The link of the resident's e-mail: the tracking code and a valid signed token."""
    from prosecution.concerns.resident_links import ADD_INFO, NOT_FIXED, concern_action_token

    action = NOT_FIXED if route.view_name.endswith("not_fixed") else ADD_INFO
    concern = _tracking_concern()
    token = concern_action_token(concern=concern, action=action)
    return Sample(kwargs={"tracking_code": concern.tracking_code}, query=f"token={token}")


def _concern_public_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A public concern's public page (by its public reference)."""
    return Sample(kwargs={"public_ref": _tracking_concern().public_ref})


def _area_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A police district's public page."""
    from jcr.core.models import Area
    from jcr.core.tests.factories import AreaFactory

    area = Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT).order_by("pk").first() or AreaFactory()
    return Sample(kwargs={"slug": area.slug})


def _open311_request_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A public concern's service_request_id (its public reference)."""
    return Sample(kwargs={"service_request_id": _tracking_concern().public_ref})


def _open_data_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """The concern-level open data as CSV, recomputed now: it then covers every row seeded so
    far (the private markers included), so the leak gate reads a real file."""
    from prosecution.transparency.services import concern_stats_rebuild

    concern_stats_rebuild()
    return Sample(kwargs={"dataset": "concerns", "fmt": "csv"})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        # staff
        "prosecution:staff_concern_*": _concern_in_area_sample,
        "prosecution:staff_concern_photo": _staff_photo_sample,
        # public
        "prosecution:report_form": lambda p, r: Sample(kwargs={"code": "graffiti"}),
        "prosecution:report_done": _concern_tracking_sample,
        "prosecution:concern_track": _concern_tracking_sample,
        "prosecution:concern_add_info": _concern_action_sample,
        "prosecution:concern_not_fixed": _concern_action_sample,
        "prosecution:concern_public": _concern_public_sample,
        "prosecution:concern_links_send": _concern_tracking_sample,
        "prosecution:photo_public*": _photo_sample,
        # following, "me too", area alerts and feeds
        "prosecution:concern_follow": _concern_public_sample,
        "prosecution:concern_me_too": _concern_public_sample,
        "prosecution:concern_follow_confirm": _follow_confirm_sample,
        "prosecution:concern_unfollow": _unfollow_sample,
        "prosecution:area_alert": _area_sample,
        "prosecution:area_concerns_feed": _area_sample,
        "prosecution:area_alert_confirm": _alert_confirm_sample,
        "prosecution:area_alert_unsubscribe": _alert_unsubscribe_sample,
        # open311
        "open311:open311_service_definition_*": lambda p, r: Sample(kwargs={"service_code": "graffiti"}),
        "open311:open311_request_*": _open311_request_sample,
        # No token is ever issued (requests get their id at once): every token is unknown.
        "open311:open311_token_*": lambda p, r: Sample(kwargs={"token": "no-such-token"}, ok=404),
        # areas
        "prosecution:area_detail": _area_sample,
        # transparency
        "prosecution:open_data": _open_data_sample,
        # public map: every status, around the factories' position (where the markers' concerns are)
        "prosecution:concern_map": lambda p, r: Sample(query="status=all"),
        "prosecution:concern_map_data": lambda p, r: Sample(query="bbox=-121.6,38.5,-121.4,38.7&zoom=15&status=all"),
        "prosecution:concern_nearby": lambda p, r: Sample(query="lat=38.577&lon=-121.494&radius=1000"),
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
    return Sample(kwargs={"public_id": PartnerFactory().public_id})


def _partner_contact_sample(personas: Mapping[str, object], route: Route) -> Sample:
    contact = PartnerContactFactory()
    return Sample(kwargs={"public_id": contact.partner.public_id, "contact_id": contact.public_id})


def _project_in_area(personas: Mapping[str, object]):
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
    project = _project_in_area(personas)
    concern = ConcernFactory()
    project.concern_links.create(concern=concern)
    return Sample(
        kwargs={"public_id": project.public_id, "concern_id": concern.public_id},
        outside=frozenset({"prosecutor_other_area"}),
    )


def _project_action_sample(personas: Mapping[str, object], route: Route) -> Sample:
    action = ProjectActionFactory(project=_project_in_area(personas))
    return Sample(
        kwargs={"public_id": action.project.public_id, "action_id": action.public_id},
        outside=frozenset({"prosecutor_other_area"}),
    )


def _public_project_sample(personas: Mapping[str, object], route: Route) -> Sample:
    return Sample(kwargs={"public_id": _public_project().public_id})


def _followup_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A follow-up sent today to the resident of a resolved concern (its token is the key)."""

    followup = FollowUp.objects.filter(token=SAMPLE_FOLLOWUP_TOKEN).first()
    if followup is None:
        followup = FollowUpFactory()
        FollowUp.objects.filter(pk=followup.pk).update(token=SAMPLE_FOLLOWUP_TOKEN)
    return Sample(kwargs={"token": SAMPLE_FOLLOWUP_TOKEN})


# --- Following, area alerts ---------------------------------------------------------------------

SAMPLE_FOLLOWER = "sample.follower@example.org"
SAMPLE_ALERT = "sample.alert@example.org"


def _follow_admin_rows_ensure() -> None:
    _sample_follow()
    _sample_alert()


def _sample_follow() -> ConcernFollow:
    concern = _tracking_concern()
    return ConcernFollow.objects.filter(email=SAMPLE_FOLLOWER).first() or ConcernFollow.objects.create(
        concern=concern, email=SAMPLE_FOLLOWER
    )


def _sample_alert() -> AreaAlert:
    from jcr.core.models import Area

    area = Area.objects.get(kind=Area.Kind.POLICE_DISTRICT, slug=_area_sample({}, None).kwargs["slug"])
    return AreaAlert.objects.filter(email=SAMPLE_ALERT).first() or AreaAlert.objects.create(
        area=area, email=SAMPLE_ALERT
    )


def _follow_confirm_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """The confirmation link of a pending follow (signed, valid for 7 days)."""
    from prosecution.concerns.services_follow import opt_in_confirm_key

    return Sample(kwargs={"key": opt_in_confirm_key(_sample_follow())})


def _unfollow_sample(personas: Mapping[str, object], route: Route) -> Sample:
    return Sample(kwargs={"token": _sample_follow().token})


def _alert_confirm_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from prosecution.concerns.services_follow import opt_in_confirm_key

    return Sample(kwargs={"key": opt_in_confirm_key(_sample_alert())})


def _alert_unsubscribe_sample(personas: Mapping[str, object], route: Route) -> Sample:
    return Sample(kwargs={"token": _sample_alert().token})

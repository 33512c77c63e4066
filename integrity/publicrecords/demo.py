"""Demo public records requests (idempotent, no e-mail sent: the requesters gave none): one
from the portal awaiting its determination, one entered from a letter, extended and then
released in part."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from integrity.publicrecords import services
from integrity.publicrecords.models import Exemption, PublicRecordsRequest, Release, UnusualCircumstance

DEMO_MARK = "[demo]"


@transaction.atomic
def seed() -> None:
    if PublicRecordsRequest.objects.filter(description__startswith=DEMO_MARK).exists():
        return
    users = get_user_model().objects
    jti = users.filter(email="jti@demo.jcr.example").first()
    chief = users.filter(email="jti.chief@demo.jcr.example").first()
    actor = chief or jti
    today = timezone.localdate()
    web = services.request_submit(
        description=f"{DEMO_MARK} Policies of the office on the use of body-worn camera footage in charging decisions.",
        preferred_format=PublicRecordsRequest.Format.ELECTRONIC,
        language="en",
    )
    if jti is not None:
        services.request_assign(request=web, assigned_to=jti, actor=actor)
    letter = services.request_enter(
        actor=actor,
        channel=PublicRecordsRequest.Channel.MAIL,
        received_on=today - timedelta(days=8),
        description=f"{DEMO_MARK} Statistics of diversion referrals by year, 2019 to 2024.",
        preferred_format=PublicRecordsRequest.Format.PAPER,
        name="A. Requester",
        contact="PO Box 100, Sacramento, CA",
    )
    services.request_extend(
        request=letter,
        reason=UnusualCircumstance.COMPILING_DATA,
        explanation="The figures must be extracted from the case management system by a report written for it.",
        notice_on=today - timedelta(days=5),
        actor=actor,
    )
    record = services.gathered_add(request=letter, title="Diversion referrals 2019-2024 (report)", pages=3, actor=actor)
    services.redaction_add(
        request=letter,
        record=record,
        exemption=Exemption.PERSONAL_PRIVACY,
        description="Counts under 5 in a district are suppressed to avoid identifying participants.",
        actor=actor,
    )
    services.request_determine(
        request=letter,
        determination=PublicRecordsRequest.Determination.PART,
        notice_on=today - timedelta(days=2),
        reasons="Small counts withheld (Gov. Code § 7927.700).",
        records_available_on=today,
        actor=actor,
    )
    services.release_record(
        request=letter,
        released_on=today,
        scope=Release.Scope.PARTIAL,
        method=Release.Method.MAIL,
        records_count=1,
        actor=actor,
    )

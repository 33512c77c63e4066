"""Quality-gate hooks of public records requests (combined into integrity/tests/hooks.py).

Staff pages need `integrity.work_publicrecordsrequest` (JTI Staff, JTI Chief): other staff
get 403. The status page is public by tracking code and shows no staff note, name or record."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample


def _request():
    from integrity.publicrecords.models import PublicRecordsRequest
    from integrity.publicrecords.tests import factories as f

    return PublicRecordsRequest.objects.order_by("pk").first() or f.pra()


def admin_rows_ensure() -> None:
    from integrity.publicrecords import services
    from integrity.publicrecords.models import GatheredRecord, Redaction, Release

    request = _request()
    if not GatheredRecord.objects.exists():
        services.gathered_add(request=request, title="Sample record", actor=None)
    if not Redaction.objects.exists():
        services.redaction_add(
            request=request,
            record=GatheredRecord.objects.order_by("pk").first(),
            exemption="7927.700",
            description="Home address.",
            actor=None,
        )
    if not Release.objects.exists():
        from django.utils import timezone

        if request.awaits_determination:
            services.request_determine(
                request=request,
                determination="part",
                notice_on=timezone.localdate(),
                reasons="Home addresses withheld.",
                records_available_on=timezone.localdate(),
                actor=None,
            )
        services.release_record(
            request=request, released_on=timezone.localdate(), scope="partial", method="email", actor=None
        )


def seed_private_markers(*, personas, marker) -> list[str]:
    """A request's search notes, a record gathered, a redaction and a release note: staff only."""
    from django.utils import timezone

    from integrity.publicrecords import services
    from integrity.publicrecords.tests import factories as f

    notes, title, why, release_note, requester = (
        marker("pra-notes"),
        marker("pra-record"),
        marker("pra-redaction"),
        marker("pra-release"),
        marker("pra-requester"),
    )
    request = f.pra(name=requester, email="")
    services.request_notes_save(request=request, search_notes=notes, actor=None)
    record = services.gathered_add(request=request, title=title, actor=None)
    services.redaction_add(request=request, record=record, exemption="7923.600", description=why, actor=None)
    today = timezone.localdate()
    services.request_determine(
        request=request, determination="part", notice_on=today, reasons="Withheld in part.",
        records_available_on=today, actor=None,
    )  # fmt: skip
    services.release_record(
        request=request, released_on=today, scope="partial", method="email", note=release_note, actor=None
    )
    return [notes, title, why, release_note, requester]


def _detail(personas, route: Route) -> Sample:
    return Sample(kwargs={"public_id": _request().public_id})


def _post(personas, route: Route) -> Sample:
    return Sample(kwargs={"public_id": _request().public_id})


def _status(personas, route: Route) -> Sample:
    return Sample(kwargs={"tracking_code": _request().tracking_code})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "integrity:public_records_status": _status,
        "integrity:public_records_detail": _detail,
        "integrity:public_records_assign": _post,
        "integrity:public_records_notes": _post,
        "integrity:public_records_gathered": _post,
        "integrity:public_records_redaction": _post,
        "integrity:public_records_extend": _post,
        "integrity:public_records_determine": _post,
        "integrity:public_records_release": _post,
        "integrity:public_records_close": _post,
    }

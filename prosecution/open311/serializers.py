"""Open311 GeoReport v2 documents as plain dicts and lists, and their XML and JSON renderings.

The JSON follows the specification's examples (booleans for metadata/variable/required, numbers
for order and lat/long); the XML writes every value as text. ids and codes are strings in both.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, time

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from jcr.core.models import Area
from jcr.core.text import data_xml_safe
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category, Question

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-21T00:00:00+00:00"
AGENCY = "Sacramento County District Attorney, Community Prosecution Unit"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
OPEN_STATUSES = (
    Concern.Status.RECEIVED,
    Concern.Status.UNDER_REVIEW,
    Concern.Status.REFERRED,
    Concern.Status.IN_PROGRESS,
)
# In the XML, the elements of a list are named after the list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Which areas make up the public "address" of a request, most specific first.
ADDRESS_KINDS = (Area.Kind.NEIGHBORHOOD, Area.Kind.CITY)


def iso(value: datetime | date | None) -> str:
    """ISO 8601 with the offset, as the specification writes it (2010-04-14T06:37:38-08:00)."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return timezone.localtime(value).isoformat(timespec="seconds")


# --- Documents ---------------------------------------------------------------------------------


def discovery_dict(*, base_url: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": f"{AGENCY} ({settings.JCR_CPU_CONTACT_EMAIL})"
        if getattr(settings, "JCR_CPU_CONTACT_EMAIL", "")
        else AGENCY,
        "key_service": "Ask the Community Prosecution Unit for an API key.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_dict(category: Category, *, has_questions: bool) -> dict:
    return {
        "service_code": str(category.code),
        "service_name": category.name,
        "description": category.description,
        "metadata": has_questions,
        "type": "realtime",
        "keywords": "",
        "group": category.group,
    }


def attribute_dict(question: Question, order: int) -> dict:
    values = [{"key": o["key"], "name": o["name"]} for o in question.valid_options()]
    is_list = question.is_list
    return {
        "variable": True,
        "code": str(question.code),
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": question.help_text,
        "order": order,
        "description": question.prompt,
        "values": values if is_list else [],
    }


def definition_dict(category: Category, questions: list[Question]) -> dict:
    return {
        "service_code": str(category.code),
        "attributes": [attribute_dict(q, i) for i, q in enumerate(questions, start=1)],
    }


def _public_address(concern: Concern) -> str:
    """The names of the concern's areas ("Downtown/Midtown, City of Sacramento"), never the
    address the resident typed. Reads the prefetched `areas`."""
    by_kind = {}
    for area in concern.areas.all():
        by_kind.setdefault(area.kind, area.name)
    return ", ".join(by_kind[k] for k in ADDRESS_KINDS if k in by_kind)


def _status_notes(concern: Concern) -> str:
    """The detailed status, then the last public update's text. Reads the prefetched
    `open311_updates` (public updates with text, oldest first)."""
    notes = str(concern.get_status_display())
    updates = getattr(concern, "open311_updates", [])
    if updates:
        notes = f"{notes}. {updates[-1].text}"
    return notes


def request_dict(concern: Concern, *, media_url: str = "") -> dict:
    """One service request as the public may see it. Never call it for a sensitive concern.
    `media_url` is the absolute address of its first public photo ("" when it has none).

    The id is the concern's public reference, never its tracking code (the reporter's own);
    the description is the text staff published, "" until they do."""
    if concern.is_sensitive or concern.category.is_sensitive:
        raise ValueError("a sensitive concern is never a public service request")
    return {
        "service_request_id": str(concern.public_ref),
        "status": "open" if concern.status in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(concern),
        "service_name": concern.category.name,
        "service_code": str(concern.category.code),
        "description": concern.public_text,
        "agency_responsible": AGENCY,
        "service_notice": "",
        "requested_datetime": iso(concern.created_at),
        "updated_datetime": iso(concern.updated_at),
        "expected_datetime": iso(concern.expected_by),
        "address": _public_address(concern),
        "address_id": "",
        "zipcode": "",
        "lat": concern.public_latitude,
        "long": concern.public_longitude,
        "media_url": media_url,
    }


def created_dict(concern: Concern) -> dict:
    return {"service_request_id": str(concern.public_ref), "service_notice": "", "account_id": ""}


def error_list(code: int, description: str) -> list[dict]:
    return [{"code": code, "description": str(description)}]


# --- Rendering ---------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def render_xml(root: str, value) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, value, *, status: int = 200) -> HttpResponse:
    """`value` as JSON or as XML under the element `root`. Strings lose the characters XML
    forbids first (a row stored before inputs were cleaned must not break the whole feed; JSON
    encodes them, but a lone surrogate cannot be UTF-8)."""
    value = data_xml_safe(value)
    body = render_xml(root, value) if fmt == "xml" else json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", error_list(status, description), status=status)

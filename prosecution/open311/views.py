"""Open311 GeoReport v2 endpoints. The extension of the URL (.xml or .json) chooses the format
of the answer, errors included (a list of {code, description} with 400, 403, 404 or 429).

Extensions and choices of ours, within the specification:
- POST requests answers the service_request_id at once: the concern's public reference,
  never its tracking code (which stays with the resident); no tokens are issued, so GET
  tokens/{token} always answers 404.
- A request's description is the text staff published ("" until they review it, and always
  for a category whose text is never published).
- GET requests takes `page` (from 1) and `page_size` (at most 1000, the default) as well.
- Too many POSTs from one IP or with one API key answer HTTP 429 with the error body (the
  specification has no code for it).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from jcr.core.abuse import rate_limit_check
from jcr.core.access import public
from jcr.core.context import current
from jcr.core.text import text_clean
from prosecution.concerns import services as concern_services
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_categories import Category, Question
from prosecution.concerns.selectors import photo_public_queryset, public_ref_normalize
from prosecution.open311 import keys
from prosecution.open311.serializers import (
    OPEN_STATUSES,
    created_dict,
    definition_dict,
    discovery_dict,
    render,
    render_error,
    request_dict,
    service_dict,
)

WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
# Far beyond any real list (a 90-day window); larger pages would overflow the database's OFFSET.
MAX_PAGE = 100_000

ERRORS = {
    "jurisdiction": _("Unknown jurisdiction_id."),
    "api_key": _("A valid api_key is required."),
    "rate_limited": _("Too many requests: try again in %(minutes)d minutes."),
    "service": _("Unknown service_code."),
    "location": _("Give lat and long, address_string or address_id."),
    "lat_long": _("lat and long must be numbers within range."),
    "description": _("A description is required."),
    "attribute_unknown": _("Unknown attribute: %(code)s."),
    "attribute_required": _("The attribute %(code)s is required."),
    "attribute_value": _("The value of attribute %(code)s is not one of its keys."),
    "attribute_number": _("The value of attribute %(code)s must be a number."),
    "attribute_datetime": _("The value of attribute %(code)s must be an ISO 8601 date and time."),
    "attribute_single": _("The attribute %(code)s takes a single value."),
    "date": _("%(name)s must be an ISO 8601 date and time."),
    "window": _("start_date must be before end_date, at most 90 days apart."),
    "status": _("status must be open or closed."),
    "page": _("page and page_size must be whole numbers from 1, page at most 100000 and page_size at most 1000."),
    "request": _("Unknown service_request_id."),
    "token": _("Unknown token."),
}


class Open311Error(Exception):
    def __init__(self, status: int, description):
        super().__init__(str(description))
        self.status = status
        self.description = description


def _jurisdiction_check(request: HttpRequest) -> None:
    value = (request.POST if request.method == "POST" else request.GET).get("jurisdiction_id", "")
    if value and value != settings.JCR_OPEN311_JURISDICTION:
        raise Open311Error(404, ERRORS["jurisdiction"])


def _answer(fmt: str, handler, request: HttpRequest, *args) -> HttpResponse:
    try:
        _jurisdiction_check(request)
        return handler(request, fmt, *args)
    except Open311Error as exc:
        return render_error(fmt, exc.status, exc.description)


# --- Discovery and services ------------------------------------------------------------------


@public
@require_GET
def discovery_view(request: HttpRequest, fmt: str) -> HttpResponse:
    def handler(request, fmt):
        base_url = request.build_absolute_uri(reverse("open311:open311_discovery_json")).rsplit("/", 1)[0] + "/"
        return render(fmt, "discovery", discovery_dict(base_url=base_url))

    return _answer(fmt, handler, request)


@public
@require_GET
def service_list_view(request: HttpRequest, fmt: str) -> HttpResponse:
    def handler(request, fmt):
        categories = Category.objects.filter(is_active=True).annotate(
            has_questions=Exists(Question.objects.filter(category=OuterRef("pk")))
        )
        services_ = [service_dict(c, has_questions=c.has_questions) for c in categories]
        return render(fmt, "services", services_)

    return _answer(fmt, handler, request)


def _category_active(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, ERRORS["service"])
    return category


@public
@require_GET
def service_definition_view(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    def handler(request, fmt):
        category = _category_active(service_code)
        questions = list(category.questions.order_by("order", "id"))
        return render(fmt, "service_definition", definition_dict(category, questions))

    return _answer(fmt, handler, request)


# --- Service requests: read --------------------------------------------------------------------


def _public_requests():
    """Concerns the public may see, with what request_dict reads, in a constant number of queries."""
    public_updates = ConcernUpdate.objects.filter(kind__in=ConcernUpdate.PUBLIC_KINDS).exclude(text="")
    return (
        Concern.objects.public()
        .filter(category__is_sensitive=False)
        .select_related("category")
        .prefetch_related(
            "areas",
            Prefetch("updates", queryset=public_updates.order_by("created_at", "id"), to_attr="open311_updates"),
            Prefetch("photos", queryset=photo_public_queryset().order_by("id"), to_attr="open311_photos"),
        )
    )


def _request_dicts(request: HttpRequest, concerns) -> list[dict]:
    """The service requests with media_url: the absolute address of each one's first public
    photo (redacted if it was redacted), or "" (reads the prefetched `open311_photos`)."""
    rows = []
    for concern in concerns:
        photos = getattr(concern, "open311_photos", [])
        media_url = (
            request.build_absolute_uri(reverse("prosecution:photo_public", kwargs={"public_id": photos[0].public_id}))
            if photos
            else ""
        )
        rows.append(request_dict(concern, media_url=media_url))
    return rows


def _parse_when(name: str, value: str) -> datetime:
    parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None
    if parsed is None:
        day = parse_date(value) if "T" not in value else None
        if day is None:
            raise Open311Error(400, ERRORS["date"] % {"name": name})
        parsed = datetime.combine(day, datetime.min.time())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _whole(value: str, default: int) -> int:
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise Open311Error(400, ERRORS["page"]) from None
    if number < 1:
        raise Open311Error(400, ERRORS["page"])
    return number


def _request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _Cleaned(request.GET)
    concerns = _public_requests()
    ids = [public_ref_normalize(i) for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The specification: with service_request_id, every other parameter is ignored.
        concerns = concerns.filter(public_ref__in=ids[:MAX_RESULTS])
        return render(fmt, "service_requests", _request_dicts(request, concerns))
    if codes := [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]:
        concerns = concerns.filter(category__code__in=codes)
    start = _parse_when("start_date", params["start_date"]) if params.get("start_date") else None
    end = _parse_when("end_date", params["end_date"]) if params.get("end_date") else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = min(start + WINDOW, timezone.now()) if start < timezone.now() else start + WINDOW
    if start > end or end - start > WINDOW:
        raise Open311Error(400, ERRORS["window"])
    concerns = concerns.filter(created_at__gte=start, created_at__lte=end)
    if statuses := [s.strip() for s in params.get("status", "").split(",") if s.strip()]:
        if any(s not in ("open", "closed") for s in statuses):
            raise Open311Error(400, ERRORS["status"])
        if statuses == ["open"] or set(statuses) == {"open"}:
            concerns = concerns.filter(status__in=OPEN_STATUSES)
        elif set(statuses) == {"closed"}:
            concerns = concerns.exclude(status__in=OPEN_STATUSES)
    page = _whole(params.get("page", ""), 1)
    page_size = _whole(params.get("page_size", ""), MAX_RESULTS)
    if page_size > MAX_RESULTS or page > MAX_PAGE:
        raise Open311Error(400, ERRORS["page"])
    offset = (page - 1) * page_size
    rows = concerns.order_by("-created_at", "-id")[offset : offset + page_size]
    return render(fmt, "service_requests", _request_dicts(request, rows))


class _Cleaned:
    """Query or POSTed values cleaned as a form's would be (jcr.core.text: the API is an input
    like any form, and a NUL must not reach the database; only the description keeps line
    breaks), with a QueryDict's `get`/`getlist`."""

    def __init__(self, data):
        self._values = {
            name: [text_clean(v, multiline=name == "description") for v in data.getlist(name)] for name in data
        }

    def __iter__(self):
        return iter(self._values)

    def __getitem__(self, name: str) -> str:
        values = self._values[name]
        return values[-1] if values else ""

    def get(self, name: str, default: str = "") -> str:
        values = self._values.get(name)
        return values[-1] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self._values.get(name, []))


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = _Cleaned(request.POST)
    client = keys.open311_client_for_key(data.get("api_key", ""))
    if client is None:
        raise Open311Error(403, ERRORS["api_key"])
    retry_after = rate_limit_check(scope="open311_post", ip=current.get().ip, email=f"open311-client-{client.pk}")
    if retry_after:
        response = render_error(fmt, 429, ERRORS["rate_limited"] % {"minutes": max(1, math.ceil(retry_after / 60))})
        response["Retry-After"] = str(retry_after)
        return response
    category = _category_active(data.get("service_code", ""))
    latitude, longitude = _location(data)
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if latitude is None and not address:
        raise Open311Error(400, ERRORS["location"])
    description = data.get("description", "").strip()
    if not description:
        raise Open311Error(400, ERRORS["description"])
    answers = _answers(data, list(category.questions.order_by("order", "id")))
    name = " ".join(p for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if p)
    language = getattr(request, "LANGUAGE_CODE", "en")
    try:
        concern, _created = concern_services.concern_submit(
            category=category,
            description=description,
            address=address,
            latitude=latitude,
            longitude=longitude,
            answers=answers,
            contact_name=name,
            contact_email=data.get("email", ""),
            contact_phone=data.get("phone", ""),
            language=language if language in dict(settings.LANGUAGES) else "en",
            source=Concern.Source.OPEN311,
        )
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from None
    keys.open311_client_touch(client)
    return render(fmt, "service_requests", [created_dict(concern)])


def _location(data) -> tuple[float | None, float | None]:
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    if not lat and not long:
        return None, None
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        raise Open311Error(400, ERRORS["lat_long"]) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or math.isnan(latitude + longitude):
        raise Open311Error(400, ERRORS["lat_long"])
    return latitude, longitude


def _attribute_values(data, code: str) -> list[str]:
    values = data.getlist(f"attribute[{code}]") + data.getlist(f"attribute[{code}][]")
    return [v.strip() for v in values if v.strip()]


def _answers(data, questions: list[Question]) -> dict:
    """attribute[CODE] values checked against the service definition, as the web form stores
    them (by question code; numbers as numbers, lists of keys for multivaluelist)."""
    known = {q.code for q in questions}
    for name in data:
        if name.startswith("attribute[") and "]" in name:
            code = name[len("attribute[") : name.index("]")]
            if code not in known:
                raise Open311Error(400, ERRORS["attribute_unknown"] % {"code": code})
    answers = {}
    for question in questions:
        values = _attribute_values(data, question.code)
        code = question.code
        if not values:
            if question.required:
                raise Open311Error(400, ERRORS["attribute_required"] % {"code": code})
            continue
        kind = question.datatype
        if kind != Question.Datatype.MULTI and len(values) > 1:
            raise Open311Error(400, ERRORS["attribute_single"] % {"code": code})
        if kind in (Question.Datatype.SINGLE, Question.Datatype.MULTI):
            keys_ = {o["key"] for o in question.valid_options()}
            if any(v not in keys_ for v in values):
                raise Open311Error(400, ERRORS["attribute_value"] % {"code": code})
            answers[code] = values if kind == Question.Datatype.MULTI else values[0]
        elif kind == Question.Datatype.NUMBER:
            try:
                number = Decimal(values[0])
            except InvalidOperation:
                raise Open311Error(400, ERRORS["attribute_number"] % {"code": code}) from None
            if not number.is_finite():
                raise Open311Error(400, ERRORS["attribute_number"] % {"code": code})
            answers[code] = int(number) if number == number.to_integral_value() else float(number)
        elif kind == Question.Datatype.DATETIME:
            try:
                parsed = parse_datetime(values[0])
            except ValueError:
                parsed = None
            if parsed is None:
                raise Open311Error(400, ERRORS["attribute_datetime"] % {"code": code})
            answers[code] = parsed.isoformat()
        else:
            answers[code] = values[0]
    return answers


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def request_list_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the public service requests. POST: a new one (api_key required); no CSRF token, the
    API key is the credential."""
    return _answer(fmt, _request_create if request.method == "POST" else _request_list, request)


@public
@require_GET
def request_detail_view(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    def handler(request, fmt):
        concern = _public_requests().filter(public_ref=public_ref_normalize(service_request_id)).first()
        if concern is None:
            raise Open311Error(404, ERRORS["request"])
        return render(fmt, "service_requests", _request_dicts(request, [concern]))

    return _answer(fmt, handler, request)


@public
@require_GET
def token_view(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Requests are created at once and answered with their id, so no token is ever issued."""

    def handler(request, fmt):
        raise Open311Error(404, ERRORS["token"])

    return _answer(fmt, handler, request)

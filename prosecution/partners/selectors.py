"""Reads about partner agencies, referrals and follow-ups."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from prosecution.partners.models import FollowUp, Partner, PartnerContact, Referral


def partner_list(*, q: str = "", kind: str = "", area=None, category=None, active: str = "active"):
    """Partners for the directory: name/jurisdiction/contact search, kind, area, category and
    active filters; with their primary contact and counts of projects and referrals."""
    qs = Partner.objects.all()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(jurisdiction__icontains=q)
            | Q(contacts__name__icontains=q)
            | Q(contacts__email__icontains=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(areas=area)
    if category is not None:
        qs = qs.filter(categories=category)
    if active == "active":
        qs = qs.filter(is_active=True)
    elif active == "inactive":
        qs = qs.filter(is_active=False)
    ids = qs.values("pk")
    return (
        Partner.objects.filter(pk__in=ids)
        .annotate(
            project_count=Count("project_links", distinct=True),
            referral_count=Count("referrals", distinct=True),
        )
        .prefetch_related(
            "categories",
            "areas",
            Prefetch("contacts", queryset=PartnerContact.objects.order_by("-is_primary", "name", "id")),
        )
        .order_by("name", "id")
    )


def partner_suggestions(*, category_id: int, area_ids: list[int]) -> list[dict]:
    """The active partners for a referral, best first (one query): those handling the category
    and acting in one of the areas, then either one (marked `suggested`), then the others by
    name. Each is a dict of `public_id`, `name`, `suggested` and `contacts` (dicts of
    `public_id`, `name`, `role`, `has_email`, `is_primary`)."""
    rows = (
        Partner.objects.filter(is_active=True)
        .annotate(
            handles_category=Exists(
                Partner.categories.through.objects.filter(partner_id=OuterRef("pk"), category_id=category_id)
            ),
            in_area=Exists(Partner.areas.through.objects.filter(partner_id=OuterRef("pk"), area_id__in=area_ids)),
        )
        .order_by("name", "id", "-contacts__is_primary", "contacts__name", "contacts__id")
        .values(
            "pk",
            "public_id",
            "name",
            "handles_category",
            "in_area",
            "contacts__public_id",
            "contacts__name",
            "contacts__role",
            "contacts__email",
            "contacts__is_primary",
        )
    )
    partners: dict[int, dict] = {}
    for row in rows:
        entry = partners.setdefault(
            row["pk"],
            {
                "public_id": str(row["public_id"]),
                "name": row["name"],
                "score": int(row["handles_category"]) + int(row["in_area"]),
                "contacts": [],
            },
        )
        if row["contacts__public_id"] is not None:
            entry["contacts"].append(
                {
                    "public_id": str(row["contacts__public_id"]),
                    "name": row["contacts__name"],
                    "role": row["contacts__role"],
                    "has_email": bool(row["contacts__email"]),
                    "is_primary": row["contacts__is_primary"],
                }
            )
    ranked = sorted(partners.values(), key=lambda e: (-e["score"], e["name"].lower()))
    for entry in ranked:
        entry["suggested"] = entry["score"] > 0
    return ranked


def partner_choices() -> list[dict]:
    """The active partners' public ids and names, by name (one query)."""

    return [
        {"public_id": str(public_id), "name": name}
        for public_id, name in Partner.objects.filter(is_active=True)
        .order_by("name", "id")
        .values_list("public_id", "name")
    ]


def concern_referrals(*, concern) -> list:
    return list(
        Referral.objects.filter(concern=concern)
        .select_related("partner", "contact", "referred_by", "email")
        .order_by("-created_at", "-id")
    )


def followup_get_by_token(*, token: str):
    """The follow-up with this token while its link is valid (JCR_FOLLOWUP_VALID_DAYS after it
    was sent); Http404 for an unknown, malformed or expired token."""
    if not token or len(token) > 64:
        raise Http404
    followup = FollowUp.objects.select_related("concern", "concern__category").filter(token=token).first()
    if followup is None or followup.sent_at is None:
        raise Http404
    if followup.sent_at < timezone.now() - timedelta(days=settings.JCR_FOLLOWUP_VALID_DAYS):
        raise Http404
    return followup


# --- Reference lists for staff forms --------------------------------------------------------

"""What the public may find of the Justice, Training & Integrity Unit in the site search
(jcr.core.search): public policies with a version in effect. Confidential records never."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.policies.models import DocumentStatus, Policy, PolicyVersion
from jcr.core.search import Source


def _policies():
    in_effect = PolicyVersion.objects.filter(
        status=DocumentStatus.PUBLISHED, effective_on__lte=timezone.localdate()
    ).values("policy_id")
    return Policy.objects.filter(is_public=True, pk__in=in_effect)


def sources() -> list[Source]:
    return [
        Source(
            key="policy",
            label=_("Office policy"),
            queryset=_policies,
            text={"en": ("title", "number"), "es": ("title_es", "number")},
            title={"en": "title", "es": "title_es"},
            summary={"en": "number"},
            url=lambda slug: reverse("integrity:policy_public_detail", kwargs={"slug": slug}),
            url_fields=("slug",),
            date_field="updated_at",
        )
    ]

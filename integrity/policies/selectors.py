"""Reads of legal update bulletins and office policies."""

from __future__ import annotations

import difflib
import re
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from govrelations import api as govrelations_api
from integrity.policies.models import (
    Bulletin,
    BulletinRecipient,
    DocumentStatus,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
)

WRITE_BULLETIN = "integrity.change_bulletin"
PUBLISH_BULLETIN = "integrity.publish_bulletin"
WRITE_POLICY = "integrity.change_policyversion"
PUBLISH_POLICY = "integrity.publish_policyversion"
ACKNOWLEDGE = "integrity.add_policyacknowledgement"


def reminder_days() -> int:
    """Days after publication (and between reminders) before an unacknowledged bulletin is
    recalled to its recipient (JCR_LEGAL_UPDATE_REMINDER_DAYS, 7 by default)."""
    return settings.JCR_LEGAL_UPDATE_REMINDER_DAYS


REMINDERS_MAX = 3
# Who may open Government Relations' staff pages (a bill without a public position links there).
GOVREL_STAFF = "accounts.access_govrelations"


# --- Bulletins -----------------------------------------------------------------------------


def bulletin_audience(*, bulletin: Bulletin) -> QuerySet:
    """The people a bulletin goes to: every active staff member, or those in its units."""
    qs = get_user_model().objects.filter(is_active=True, is_staff=True)
    if bulletin.audience == Bulletin.Audience.UNITS:
        qs = qs.filter(groups__in=bulletin.audience_groups.all()).distinct()
    return qs.order_by("email")


def bulletin_list_for(*, user) -> QuerySet[Bulletin]:
    """Bulletins `user` may open: writers see every one, others the published ones sent to them."""
    qs = Bulletin.objects.select_related("bill__session").order_by("-published_at", "-created_at")
    if user.has_perm(WRITE_BULLETIN):
        return qs
    return qs.filter(status=DocumentStatus.PUBLISHED, recipients__person=user)


def bulletin_get_for(*, user, public_id) -> Bulletin:
    """The bulletin if `user` may open it; 404 otherwise (its existence is not revealed)."""
    bulletin = get_object_or_404(
        Bulletin.objects.select_related("bill__session", "published_by", "created_by").prefetch_related(
            Prefetch("policies", queryset=Policy.objects.order_by("number"))
        ),
        public_id=public_id,
    )
    if user.has_perm(WRITE_BULLETIN):
        return bulletin
    if bulletin.status == DocumentStatus.PUBLISHED and bulletin.recipients.filter(person=user).exists():
        return bulletin
    raise Http404


def bulletin_receipt_of(*, bulletin: Bulletin, user) -> BulletinRecipient | None:
    return BulletinRecipient.objects.filter(bulletin=bulletin, person=user).first()


def bulletin_recipients(*, bulletin: Bulletin) -> tuple[list, list]:
    """(acknowledged, not yet acknowledged) recipients, with their people and reminder counts."""
    rows = list(bulletin.recipients.select_related("person").prefetch_related("reminders").order_by("person__email"))
    return [r for r in rows if r.acknowledged_at], [r for r in rows if not r.acknowledged_at]


# --- Links of a bulletin to bills and policies ---------------------------------------------

_BILL_TEXT = re.compile(r"^\s*([A-Za-z]{1,5})\.?\s*-?\s*0*(\d{1,6})\s*(?:\(\s*([^()]*?)\s*\))?\s*$")


def bill_identifier_parse(text: str) -> tuple[str, str] | None:
    """("SB 1234", "20252026" or "2026" or "") from text such as "SB 1234 (20252026)",
    "sb1234" or "AB-12 (2026)"; None when it does not look like a bill identifier."""
    match = _BILL_TEXT.match(text or "")
    if not match:
        return None
    letters, number, session = match.groups()
    return f"{letters.upper()} {int(number)}", session or ""


def bill_candidates(text: str) -> QuerySet:
    """The tracker's bills that `text` names (none when it names no bill). A session in
    brackets narrows them: its identifier, or a year the session's identifier contains."""
    parsed = bill_identifier_parse(text)
    if parsed is None:
        return govrelations_api.bill_list_none()
    identifier, session = parsed
    return govrelations_api.bill_list_by_identifier(identifier=identifier, session=session)


def bill_find(text: str):
    """The bill `text` names, None for empty text; ValidationError when it names none or
    several (the message says how to narrow it)."""
    if not (text or "").strip():
        return None
    if bill_identifier_parse(text) is None:
        raise ValidationError(_("Type a bill identifier such as SB 1234, or leave the field empty."))
    bills = list(bill_candidates(text)[:5])
    if not bills:
        raise ValidationError(
            _("No bill %(text)s is in Government Relations' tracker. Put it under Other reference instead.")
            % {"text": text.strip()}
        )
    if len(bills) > 1:
        raise ValidationError(
            _("Several sessions have this bill: add the session, e.g. %(example)s.") % {"example": str(bills[0])}
        )
    return bills[0]


def bill_suggestions(*, limit: int = 300) -> list:
    """Bills offered while typing: the watch list, most recently active first (one query)."""
    return govrelations_api.bill_list_watched(limit=limit)


def bill_has_public_page(*, bill) -> bool:
    """A bill has a public page when the office's position on it is approved."""
    return govrelations_api.bill_has_approved_position(bill=bill)


def bill_link(*, bill, public: bool, can_open_staff: bool) -> str:
    """The address a bulletin gives for its bill: the public bill page when it has a public
    position, otherwise the staff bill page for those who may open it ("" for others)."""
    if public:
        return reverse("govrelations:bill_detail", kwargs={"public_id": bill.public_id})
    if can_open_staff:
        return reverse("govrelations:staff_bill_detail", kwargs={"public_id": bill.public_id})
    return ""


def govrel_staff_ids(*, user_ids) -> set[int]:
    """Of `user_ids`, those who may open Government Relations' staff pages (one query)."""
    app_label, codename = GOVREL_STAFF.split(".")
    perm = Q(permissions__content_type__app_label=app_label, permissions__codename=codename)
    groups = Group.objects.filter(perm)
    User = get_user_model()
    return set(
        User.objects.filter(pk__in=list(user_ids), is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__in=groups)
            | Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


# --- Policies ------------------------------------------------------------------------------


def _in_effect(today: date | None = None) -> Q:
    return Q(status=DocumentStatus.PUBLISHED, effective_on__lte=today or timezone.localdate())


def policy_current_version(*, policy: Policy, today: date | None = None) -> PolicyVersion | None:
    """The latest published version in effect (latest effective date, then highest number)."""
    return policy.versions.filter(_in_effect(today)).order_by("-effective_on", "-number").first()


def policies_with_current(*, qs: QuerySet[Policy], today: date | None = None) -> list[Policy]:
    """`qs` with `current` set on each policy (None when no version is in effect), two queries."""
    policies = list(
        qs.prefetch_related(
            Prefetch(
                "versions",
                queryset=PolicyVersion.objects.filter(_in_effect(today)).order_by("-effective_on", "-number"),
                to_attr="in_effect",
            )
        )
    )
    for policy in policies:
        policy.current = policy.in_effect[0] if policy.in_effect else None
    return policies


def policy_public_list() -> list[Policy]:
    return [p for p in policies_with_current(qs=Policy.objects.filter(is_public=True)) if p.current]


def policy_public_get(*, slug: str) -> tuple[Policy, PolicyVersion]:
    policy = get_object_or_404(Policy, slug=slug, is_public=True)
    current = policy_current_version(policy=policy)
    if current is None:
        raise Http404
    return policy, current


def policy_staff_list(*, user) -> list[Policy]:
    """Every policy with its current version; writers also see policies that have none yet."""
    policies = policies_with_current(qs=Policy.objects.all())
    if user.has_perm(WRITE_POLICY):
        return policies
    return [p for p in policies if p.current]


def policy_versions_for(*, policy: Policy, user) -> list[PolicyVersion]:
    """The versions `user` may read, newest first: drafts only for writers."""
    qs = policy.versions.select_related("published_by", "supersedes")
    if not user.has_perm(WRITE_POLICY):
        qs = qs.filter(status=DocumentStatus.PUBLISHED)
    return list(qs.order_by("-number"))


def policy_version_get_for(*, user, slug: str, number: int) -> PolicyVersion:
    version = get_object_or_404(
        PolicyVersion.objects.select_related("policy", "supersedes", "published_by"), policy__slug=slug, number=number
    )
    if version.status != DocumentStatus.PUBLISHED and not user.has_perm(WRITE_POLICY):
        raise Http404
    return version


def policy_version_acknowledgements(*, version: PolicyVersion) -> tuple[list, list]:
    """(acknowledgements, staff members who have not acknowledged) of a published version."""
    acks = list(version.acknowledgements.select_related("person").order_by("person__email"))
    done = {a.person_id for a in acks}
    missing = [u for u in _acknowledgers() if u.pk not in done]
    return acks, missing


def _acknowledgers() -> list:
    """Active staff members whose roles acknowledge policies."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__permissions__codename="add_policyacknowledgement") | Q(is_superuser=True))
        .distinct()
        .order_by("email")
    )


# --- A person's acknowledgements -----------------------------------------------------------


def acknowledgements_pending(*, user, today: date | None = None) -> dict:
    """What `user` still has to acknowledge: published bulletins sent to them, and the
    current version of each policy (three queries however many there are)."""
    bulletins = list(
        Bulletin.objects.filter(
            status=DocumentStatus.PUBLISHED, recipients__person=user, recipients__acknowledged_at__isnull=True
        ).order_by("-published_at")
    )
    versions = []
    if user.has_perm(ACKNOWLEDGE):
        acked = PolicyAcknowledgement.objects.filter(version=OuterRef("pk"), person=user)
        candidates = (
            PolicyVersion.objects.filter(_in_effect(today))
            .annotate(acked=Exists(acked))
            .select_related("policy")
            .order_by("policy__number", "-effective_on", "-number")
        )
        seen = set()
        for version in candidates:  # the first per policy is its current version
            if version.policy_id in seen:
                continue
            seen.add(version.policy_id)
            if not version.acked:
                versions.append(version)
    return {"bulletins": bulletins, "versions": versions, "count": len(bulletins) + len(versions)}


# --- Readable differences between versions -------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").replace("\r\n", "\n"))


def version_diff_html(*, old: str, new: str) -> SafeString:
    """A word-level difference of two texts as HTML: removed words in <del>, added words in
    <ins>, each with a visually hidden "removed:"/"added:" label for screen readers and a
    bracket marker for those who cannot tell the styling apart. No inline styles."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    removed, added = escape(_("removed:")), escape(_("added:"))
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(_marked("del", removed, "-", a[i1:i2]))
        if op in ("insert", "replace"):
            out.append(_marked("ins", added, "+", b[j1:j2]))
    html = "".join(out).replace("\n", "<br>\n")  # line breaks kept without a style
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - every piece of text above is escaped


def _marked(tag: str, label: str, sign: str, tokens: list[str]) -> str:
    """One changed run, its leading and trailing white space kept outside the marker."""
    text = "".join(tokens)
    core = text.strip()
    if not core:
        return escape(text) if tag == "ins" else ""
    start = text.index(core)
    lead, trail = text[:start], text[start + len(core) :]
    if tag == "del":
        lead = trail = ""  # the surrounding text keeps its own spacing
    marked = f'<{tag}><span class="visually-hidden">{label} </span>[{sign}{escape(core)}]</{tag}>'
    return f"{escape(lead)}{marked}{escape(trail)}"


def version_diff_stats(*, old: str, new: str) -> dict:
    a, b = _tokens(old), _tokens(new)
    words_added = words_removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            words_removed += sum(1 for t in a[i1:i2] if not t.isspace())
        if op in ("insert", "replace"):
            words_added += sum(1 for t in b[j1:j2] if not t.isspace())
    return {"added": words_added, "removed": words_removed}

"""Writes of the legal rules registry. A version is never edited in place: a change is a new
version in force from its effective date, and the version it replaces ends the day before.
History goes to the audit trail, naming the fields changed (never their values)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integrity.rules.models import LegalRule
from jcr.core.audit import audit_record

VERSIONED_FIELDS = ("name", "citation", "official_url", "parameters", "verified_by", "verified_on", "notes")


@transaction.atomic
def rule_create(*, actor, **values) -> LegalRule:
    if LegalRule.objects.filter(code=values.get("code")).exists():
        raise ValidationError(_("This rule exists: change it to add a version."))
    rule = LegalRule(version=1, **values)
    rule.full_clean()
    rule.save()
    audit_record(action="integrity.legalrule.create", obj=rule, actor=actor, after={"fields": sorted(values)})
    return rule


@transaction.atomic
def rule_version_create(*, previous: LegalRule, effective_from: date, actor, **changes) -> LegalRule:
    """A new version of `previous`'s rule in force from `effective_from`; `previous` (which
    must be the version still open) then ends the day before."""
    current = LegalRule.objects.select_for_update().get(pk=previous.pk)
    if current.effective_to is not None:
        raise ValidationError(_("Only the version in force now can be followed by a new one."))
    if effective_from <= current.effective_from:
        raise ValidationError(
            {
                "effective_from": _("A new version starts after the one it replaces (from %(day)s).")
                % {"day": current.effective_from.isoformat()}
            }
        )
    unknown = set(changes) - set(VERSIONED_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    changed = sorted(f for f, v in changes.items() if v != getattr(current, f))
    if not changed:
        raise ValidationError(_("Nothing changed: a new version needs a change."))
    current.effective_to = effective_from - timedelta(days=1)
    current.save(update_fields=["effective_to", "updated_at"])
    latest = LegalRule.objects.filter(code=current.code).order_by("-version").values_list("version", flat=True)[0]
    values = {f: getattr(current, f) for f in VERSIONED_FIELDS} | changes
    rule = LegalRule(code=current.code, version=latest + 1, effective_from=effective_from, effective_to=None, **values)
    rule.full_clean()
    rule.save()
    audit_record(
        action="integrity.legalrule.version",
        obj=rule,
        actor=actor,
        before={"version": current.version},
        after={"version": rule.version, "fields": changed},
    )
    return rule

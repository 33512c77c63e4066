"""API keys of Open311 client applications: created once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from jcr.core.audit import audit_record
from prosecution.open311.models import Open311Client

PREFIX_LENGTH = 8


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def open311_client_create(*, name: str, contact_email: str = "", actor=None) -> tuple[Open311Client, str]:
    """A new client application and its key. The key is returned here and never again."""
    while True:
        key = secrets.token_urlsafe(32)
        prefix = key[:PREFIX_LENGTH]
        if not Open311Client.objects.filter(key_prefix=prefix).exists():
            break
    client = Open311Client(name=name.strip(), contact_email=contact_email.strip(), key_prefix=prefix)
    client.key_hash = key_hash(key)
    client.full_clean()
    client.save()
    audit_record(action="prosecution.open311_client.create", obj=client, actor=actor, after={"name": client.name})
    return client, key


@transaction.atomic
def open311_client_revoke(*, client: Open311Client, actor=None) -> Open311Client:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
    client.is_active = False
    client.save(update_fields=["revoked_at", "is_active", "updated_at"])
    audit_record(action="prosecution.open311_client.revoke", obj=client, actor=actor, after={"revoked": True})
    return client


def open311_client_for_key(key: str) -> Open311Client | None:
    """The usable (active, not revoked) client holding `key`, or None."""
    if not key:
        return None
    client = Open311Client.objects.filter(key_hash=key_hash(key)).first()
    if client is None or not client.is_usable:
        return None
    return client


def open311_client_touch(client: Open311Client) -> None:
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())

"""Test data of social publishing."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from outreach.social.models import ChannelAccount, Delivery, PostMedia, PostVariant, SocialPost


def channel(platform="development", name=None, base_url="", credentials=None, **kwargs) -> ChannelAccount:
    account = ChannelAccount(platform=platform, name=name or f"{platform} account", base_url=base_url, **kwargs)
    account.credentials_set(credentials or {})
    account.save()
    return account


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def post(author, *, channels=(), status=SocialPost.Status.DRAFT, body="Join us Saturday.", title="A post", **kwargs):
    item = SocialPost.objects.create(author=author, title=title, body=body, status=status, **kwargs)
    for c in channels:
        PostVariant.objects.create(post=item, channel=c)
    return item


def image(item: SocialPost, alt="A volunteer hands out flyers") -> PostMedia:
    media = PostMedia(post=item, alt_text=alt)
    media.image.save("photo.png", ContentFile(png_bytes()), save=False)
    media.save()
    return media


def delivery(item: SocialPost, account: ChannelAccount, *, status=Delivery.Status.SCHEDULED, due=None, **kwargs):
    when = due or timezone.now() - timedelta(minutes=1)
    PostVariant.objects.get_or_create(post=item, channel=account)
    return Delivery.objects.create(
        post=item, channel=account, status=status, text=item.body, publish_at=when, next_attempt_at=when, **kwargs
    )


def scheduled_post(author, approver, accounts, *, due=None, **kwargs) -> SocialPost:
    item = post(
        author, status=SocialPost.Status.SCHEDULED, approver=approver, publish_at=due or timezone.now(), **kwargs
    )
    for a in accounts:
        delivery(item, a, due=due)
    return item

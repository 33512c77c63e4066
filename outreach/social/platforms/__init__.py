"""One client per platform, each speaking the platform's HTTP API (httpx)."""

from __future__ import annotations

from outreach.social.platforms.base import PlatformRejected, PlatformUnavailable, PublishResult, TokenExpired


def client_for(channel):
    from outreach.social.platforms import (
        bluesky,
        development,
        facebook,
        instagram,
        mastodon,
        nextdoor,
        x,
        youtube,
    )

    modules = {
        "bluesky": bluesky,
        "development": development,
        "facebook": facebook,
        "instagram": instagram,
        "mastodon": mastodon,
        "nextdoor": nextdoor,
        "x": x,
        "youtube": youtube,
    }
    return modules[channel.platform].Client(channel)


__all__ = ["PlatformRejected", "PlatformUnavailable", "PublishResult", "TokenExpired", "client_for"]

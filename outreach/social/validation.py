"""Per-channel limits, counted on the server (static/js/social_compose.js mirrors them for
the live count; the server's count is the one that decides)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from wcwidth import iter_graphemes

URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
X_URL_WEIGHT = 23

LIMITS = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "facebook": 63206,
    "instagram": 2200,
    "nextdoor": 8192,
    "youtube": 5000,
    "development": 100000,
}


def graphemes(text: str) -> int:
    return sum(1 for _ in iter_graphemes(text))


def x_length(text: str) -> int:
    """X's weighted length: each link counts as 23 characters, whatever its length."""
    rest = URL_RE.sub("", text)
    return len(rest) + X_URL_WEIGHT * len(URL_RE.findall(text))


def length_for(platform: str, text: str) -> int:
    if platform == "x":
        return x_length(text)
    if platform == "bluesky":
        return graphemes(text)
    if platform == "mastodon":
        # Mastodon also counts each link as 23 characters.
        rest = URL_RE.sub("", text)
        return len(rest) + 23 * len(URL_RE.findall(text))
    return len(text)


@dataclass(frozen=True)
class ChannelCheck:
    platform: str
    length: int
    limit: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def channel_check(*, platform: str, text: str, images: list[tuple[str, str]], video_url: str = "", captions=False):
    """Check one channel's text and media. `images` are (name, alt text) pairs."""
    limit = LIMITS.get(platform, 100000)
    length = length_for(platform, text)
    problems = []
    if not text.strip() and platform != "youtube":
        problems.append(_("The text is empty."))
    if length > limit:
        problems.append(_("%(length)d characters: the limit here is %(limit)d.") % {"length": length, "limit": limit})
    if platform == "instagram" and not images:
        problems.append(_("Instagram needs an image."))
    if platform == "youtube" and not video_url:
        problems.append(_("YouTube needs a video."))
    if any(not (alt or "").strip() for _name, alt in images):
        problems.append(_("Every image needs alternative text."))
    if video_url and not captions:
        problems.append(_("The video needs captions."))
    if platform in ("x", "mastodon", "bluesky") and len(images) > 4:
        problems.append(_("At most 4 images here."))
    return ChannelCheck(platform=platform, length=length, limit=limit, problems=tuple(problems))


def post_checks(post) -> list[tuple[object, ChannelCheck]]:
    """(variant, check) for each channel of `post` (variants and media prefetched)."""
    images = [(m.image.name, m.alt_text) for m in post.media.all()]
    return [
        (
            v,
            channel_check(
                platform=v.channel.platform,
                text=v.body or post.body,
                images=images,
                video_url=post.video_url,
                captions=post.video_captions,
            ),
        )
        for v in post.variants.all()
    ]

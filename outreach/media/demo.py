"""Demo media for `manage.py seed_demo` (idempotent): news and press releases with media
contacts, Justice Journal episodes in English and Spanish (placeholder YouTube ids that start
with "demo"), a podcast show with artwork drawn by Pillow and episodes of real (silent) MP3
audio, newsletter subscribers and an unsent issue, and two media inquiries.

Content goes through outreach.media.services, so the checks (captions, audio, publishing
rules) are the real ones. Subscribers and inquiries are written directly: no e-mail is queued.
"""

from __future__ import annotations

import io
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from jcr.core.images import placeholder_image
from outreach.media import services
from outreach.media.files import mp3_silence
from outreach.media.models import (
    JournalEpisode,
    MediaContact,
    MediaInquiry,
    NewsItem,
    NewsletterIssue,
    NewsletterSubscription,
    PodcastEpisode,
    PodcastShow,
)

CONTACTS = [
    ("Dana Whitfield", "Public Information Officer", "press@da.example.gov", "(916) 555-0142"),
    ("Luis Ocampo", "Spanish-language media", "prensa@da.example.gov", "(916) 555-0178"),
]

NEWS = [
    # slug, kind, language, translation of, days ago, title, summary, body
    (
        "community-prosecution-expands-to-six-districts",
        "press_release",
        "en",
        None,
        2,
        "Community prosecution expands to all six police districts",
        "Every police district now has a community prosecutor residents can reach directly.",
        "The District Attorney announced today that **every police district** now has an assigned community "
        "prosecutor.\n\n## What changes for residents\n\n- Report a neighborhood concern online, in English or "
        "Spanish.\n- Follow it with a tracking code.\n- Meet your prosecutor at community meetings.\n\n"
        "Read more on the [Community Prosecution page](/community-prosecution/).",
    ),
    (
        "la-fiscalia-comunitaria-llega-a-seis-distritos",
        "press_release",
        "es",
        "community-prosecution-expands-to-six-districts",
        2,
        "La fiscalía comunitaria llega a los seis distritos policiales",
        "Cada distrito policial tiene ahora un fiscal comunitario al que los residentes pueden acudir.",
        "La Fiscal de Distrito anunció hoy que **cada distrito policial** tiene ahora un fiscal comunitario "
        "asignado.\n\n## Qué cambia para los residentes\n\n- Reporte un problema del vecindario en línea, en inglés "
        "o en español.\n- Siga su reporte con un código.\n- Conozca a su fiscal en las reuniones comunitarias.",
    ),
    (
        "scam-prevention-workshops-for-seniors",
        "news",
        "en",
        None,
        6,
        "Scam prevention workshops for seniors this spring",
        "Free workshops at senior centers across the county on phone, mail and online scams.",
        "Outreach staff will visit senior centers across the county to talk about the scams that target older "
        "residents most often: the grandparent scam, fake utility shut-off calls and gift-card demands.\n\n"
        "Groups can also *request a presentation* for their own members.",
    ),
    (
        "youth-violence-prevention-grant",
        "press_release",
        "en",
        None,
        12,
        "Office receives state grant for youth violence prevention",
        "A two-year grant funds mentoring and school programs in three neighborhoods.",
        "The grant funds mentoring, after-school programs and conflict-resolution training in three "
        "neighborhoods with community partners.\n\n> Prevention works when the community leads it.\n\n"
        "Media contacts are listed on this page.",
    ),
    (
        "justice-journal-returns",
        "news",
        "en",
        None,
        20,
        "The Justice Journal returns with a new season",
        "The office's video newsletter is back, now with a Spanish edition of every episode.",
        "Every episode now comes with captions, a full transcript and a Spanish edition.",
    ),
    (
        "record-clearance-clinic",
        "news",
        "en",
        None,
        33,
        "Free record clearance clinic downtown",
        "Volunteers and deputies help residents find out whether their records can be cleared.",
        "Bring a photo ID. No appointment needed. Interpreters are available in Spanish.",
    ),
]

JOURNAL = [
    # slug, language, translation of, days ago, youtube id (demo placeholders), title, summary
    (
        "episode-12-neighborhood-courts",
        "en",
        None,
        5,
        "demo-jj-012",
        "Episode 12: How neighborhood courts work",
        "Neighborhood courts resolve low-level offenses with the community instead of a courtroom. "
        "We visit a session and talk to volunteer panelists.",
    ),
    (
        "episodio-12-cortes-vecinales",
        "es",
        "episode-12-neighborhood-courts",
        5,
        "demo-jj-12e",
        "Episodio 12: Cómo funcionan las cortes vecinales",
        "Las cortes vecinales resuelven delitos menores con la comunidad en lugar de un tribunal.",
    ),
    (
        "episode-11-elder-fraud",
        "en",
        None,
        35,
        "demo-jj-011",
        "Episode 11: Protecting seniors from fraud",
        "Investigators explain the most common scams against older residents and how families can help.",
    ),
]

TRANSCRIPT = (
    "[Music]\n\nHost: Welcome to the Justice Journal, the video newsletter of the District Attorney's office.\n\n"
    "Host: Today we look at {topic}.\n\nGuest: Thank you for having me. The most important thing is that "
    "residents know where to turn.\n\nHost: Thank you for watching. Captions and this transcript are on our website."
)

PODCAST_EPISODES = [
    # slug, number, days ago, seconds of (silent demo) audio, title, description
    (
        "what-a-community-prosecutor-does",
        1,
        40,
        4,
        "What a community prosecutor does",
        "A community prosecutor explains how residents' reports turn into lasting solutions.",
    ),
    (
        "restorative-justice-explained",
        2,
        26,
        5,
        "Restorative justice, explained",
        "What restorative justice is, what it is not, and when victims choose it.",
    ),
    (
        "reentry-and-second-chances",
        3,
        9,
        6,
        "Reentry and second chances",
        "Partners who help people coming home from prison find work and housing.",
    ),
]


def _captions(title: str) -> bytes:
    return (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:04.000\n[Music]\n\n"
        f"2\n00:00:04.000 --> 00:00:09.000\nWelcome to the Justice Journal: {title}\n\n"
        "3\n00:00:09.000 --> 00:00:14.000\nCaptions and the transcript are on our website.\n"
    ).encode()


def artwork_png(*, title: str, side: int = 1400) -> bytes:
    """Square podcast artwork: the title on the portal's navy, drawn by Pillow."""
    image = Image.new("RGB", (side, side), (18, 38, 58))
    draw = ImageDraw.Draw(image)
    draw.rectangle([side // 14, side // 14, side - side // 14, side - side // 14], outline=(240, 185, 60), width=18)
    font = ImageFont.load_default(size=side // 10)
    small = ImageFont.load_default(size=side // 24)
    words = title.split()
    lines = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])] if len(words) > 2 else [title]
    y = side // 3
    for line in lines:
        draw.text((side // 2, y), line, fill=(255, 255, 255), font=font, anchor="mm")
        y += side // 7
    gold = (240, 185, 60)
    draw.text((side // 2, side - side // 5), "District Attorney · Podcast", fill=gold, font=small, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Demo pictures drawn with Pillow (no network): slug -> (word, background, accent, alt, alt in Spanish)
NEWS_IMAGES = {
    "community-prosecution-expands-to-six-districts": (
        "Six districts",
        "#2d5f8a",
        "#f0b93c",
        "A blue banner with the words Six districts beside a gold circle.",
        "Un cartel azul con las palabras Six districts junto a un círculo dorado.",
    ),
    "la-fiscalia-comunitaria-llega-a-seis-distritos": (
        "Seis distritos",
        "#2d5f8a",
        "#f0b93c",
        "A blue banner with the words Seis distritos beside a gold circle.",
        "Un cartel azul con las palabras Seis distritos junto a un círculo dorado.",
    ),
    "scam-prevention-workshops-for-seniors": (
        "Stop scams",
        "#3c6e47",
        "#e8e2c8",
        "A green banner with the words Stop scams beside a pale circle.",
        "Un cartel verde con las palabras Stop scams junto a un círculo claro.",
    ),
}


def _news(now) -> None:
    contacts = []
    for name, title, email, phone in CONTACTS:
        contact, _ = MediaContact.objects.get_or_create(
            email=email, defaults={"name": name, "title": title, "phone": phone}
        )
        contacts.append(contact)
    for slug, kind, language, original, days, title, summary, body in NEWS:
        if NewsItem.objects.filter(slug=slug).exists():
            continue
        item = NewsItem(
            slug=slug,
            kind=kind,
            language=language,
            translation_of=NewsItem.objects.filter(slug=original).first() if original else None,
            title=title,
            summary=summary,
            body=body,
        )
        if slug in NEWS_IMAGES:
            word, background, accent, alt, alt_es = NEWS_IMAGES[slug]
            item.image = placeholder_image(text=word, background=background, accent=accent)
            item.image_alt, item.image_alt_es = alt, alt_es
        item = services.news_item_save(item=item, actor=None)
        if kind == NewsItem.Kind.PRESS_RELEASE:
            item.contacts.set(contacts if language == "en" else contacts[1:])
        services.content_publish(obj=item, actor=None, at=now - timedelta(days=days, hours=3))
    if not NewsItem.objects.filter(slug="draft-annual-report").exists():
        services.news_item_save(
            item=NewsItem(
                slug="draft-annual-report",
                title="Annual community report (draft)",
                summary="Not yet published.",
                body="Draft.",
            ),
            actor=None,
        )


def _journal(now) -> None:
    for slug, language, original, days, youtube_id, title, summary in JOURNAL:
        if JournalEpisode.objects.filter(slug=slug).exists():
            continue
        episode = JournalEpisode(
            slug=slug,
            language=language,
            translation_of=JournalEpisode.objects.filter(slug=original).first() if original else None,
            title=title,
            summary=summary,
            youtube_id=youtube_id,
            duration_seconds=14,
            transcript=TRANSCRIPT.format(topic=title.split(": ", 1)[-1].lower()),
        )
        episode.captions = ContentFile(_captions(title), name="captions.vtt")
        episode = services.journal_episode_save(episode=episode, actor=None)
        services.content_publish(obj=episode, actor=None, at=now - timedelta(days=days, hours=2))
    if not JournalEpisode.objects.filter(slug="episode-13-draft").exists():
        services.journal_episode_save(
            episode=JournalEpisode(
                slug="episode-13-draft",
                title="Episode 13: Victim services (in production)",
                summary="Waiting for its captions and transcript.",
                youtube_id="demo-jj-013",
            ),
            actor=None,
        )


def _podcast(now) -> None:
    show = PodcastShow.objects.filter(slug="justice-matters").first()
    if show is None:
        show = PodcastShow(
            slug="justice-matters",
            title="Justice Matters",
            description=(
                "Conversations with prosecutors, victim advocates and community partners about public safety "
                "in our county. A podcast of the District Attorney's Justice & Community Relations Bureau."
            ),
            author="District Attorney's Office — Justice & Community Relations Bureau",
            owner_name="Community Outreach & Media Relations Unit",
            owner_email="podcast@da.example.gov",
            category=PodcastShow.Category.GOVERNMENT,
        )
        show.artwork = ContentFile(artwork_png(title=show.title), name="artwork.png")
        show.full_clean()
        show.save()
    for slug, number, days, seconds, title, description in PODCAST_EPISODES:
        if PodcastEpisode.objects.filter(show=show, slug=slug).exists():
            continue
        episode = PodcastEpisode(
            show=show,
            slug=slug,
            episode_number=number,
            title=title,
            description=description,
            transcript=f"Host: Welcome to Justice Matters. Today: {title.lower()}.\n\nGuest: Thank you.\n\n"
            "(Demo episode: the audio is a few seconds of silence.)",
        )
        episode.audio = ContentFile(mp3_silence(seconds=seconds), name="episode.mp3")
        episode = services.podcast_episode_save(episode=episode, actor=None)
        services.content_publish(obj=episode, actor=None, at=now - timedelta(days=days))


def _newsletter_and_inquiries(now) -> None:
    """Rows written directly: demo data must not queue e-mails to the demo addresses."""
    for email, language, status in (
        ("reader1@demo.jcr.example", "en", NewsletterSubscription.Status.CONFIRMED),
        ("lector1@demo.jcr.example", "es", NewsletterSubscription.Status.CONFIRMED),
        ("reader2@demo.jcr.example", "en", NewsletterSubscription.Status.PENDING),
    ):
        NewsletterSubscription.objects.get_or_create(
            email=email,
            language=language,
            defaults={
                "status": status,
                "token": secrets.token_urlsafe(32),
                "confirm_sent_at": now - timedelta(days=3),
                "confirmed_at": now - timedelta(days=3) if status == NewsletterSubscription.Status.CONFIRMED else None,
            },
        )
    if not NewsletterIssue.objects.exists():
        NewsletterIssue.objects.create(
            language="en",
            subject="Justice & Community Relations — this month",
            body="New this month: community prosecution in all six districts, scam prevention workshops, "
            "and Episode 12 of the Justice Journal.",
        )
    if not MediaInquiry.objects.exists():
        MediaInquiry.objects.create(
            outlet="Sacramento Valley Times",
            name="Jordan Reyes",
            email="jreyes@news.example",
            phone="(916) 555-0101",
            deadline=now + timedelta(days=1),
            topic="Community prosecution expansion",
            question="How many community prosecutors will there be, and how were the districts chosen?",
        )
        MediaInquiry.objects.create(
            outlet="Radio Comunidad",
            name="Ana Beltrán",
            email="abeltran@radio.example",
            topic="Entrevista en español",
            question="¿Podemos entrevistar a un fiscal comunitario el jueves?",
            language="es",
        )


def seed() -> None:
    now = timezone.now()
    with transaction.atomic():
        _news(now)
        _journal(now)
        _podcast(now)
        _newsletter_and_inquiries(now)

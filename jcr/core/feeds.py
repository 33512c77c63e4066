"""The RSS feeds' base: django.contrib.syndication's Feed, with every text it writes cleaned of
the characters XML forbids. Django refuses them (a 500 for the whole feed), and a title or a
summary stored before inputs were cleaned may still hold one."""

from __future__ import annotations

from django.contrib.syndication.views import Feed as DjangoFeed
from django.utils import feedgenerator

from jcr.core.text import xml_text


def _xml_safe(value):
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return type(value)(xml_text(v) for v in value)
    return value


class XMLSafeRss201rev2Feed(feedgenerator.Rss201rev2Feed):
    def __init__(self, *args, **kwargs):
        super().__init__(*[_xml_safe(a) for a in args], **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[_xml_safe(a) for a in args], **{k: _xml_safe(v) for k, v in kwargs.items()})


class Feed(DjangoFeed):
    """Use instead of django.contrib.syndication.views.Feed."""

    feed_type = XMLSafeRss201rev2Feed

"""RSS feed of the new non-sensitive concerns of a police district. Each item carries the
concern's public position only (snapped to a grid of about a block, the same as Open311 and
the public map), as a GeoRSS point, and the text only once staff published it."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jcr.core.feeds import Feed, XMLSafeRss201rev2Feed
from prosecution.concerns import services_follow
from prosecution.concerns.services import blur

FEED_ITEMS = 50


class GeoRssFeed(XMLSafeRss201rev2Feed):
    """RSS 2.0 with a `georss:point` ("lat long") on items that have a public position."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:georss": "http://www.georss.org/georss"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("point"):
            handler.addQuickElement("georss:point", item["point"])


class AreaConcernsFeed(Feed):
    feed_type = GeoRssFeed

    def get_object(self, request, slug: str):
        area = services_follow.alert_area_get(slug=slug)
        if area is None:
            raise Http404
        return area

    def title(self, obj):
        return _("New neighborhood concerns in %(area)s") % {"area": obj.name}

    def description(self, obj):
        return _("Concerns residents reported in %(area)s, as shown on public pages (sensitive ones never appear).") % {
            "area": obj.name
        }

    def link(self, obj):
        return reverse("prosecution:area_detail", kwargs={"slug": obj.slug})

    def items(self, obj):
        return services_follow.area_concerns_new(area=obj)[:FEED_ITEMS]

    def item_title(self, item):
        return f"{item.category.label}: {item.get_status_display()}"

    def item_description(self, item):
        return item.public_text or _("The text of this report is not public.")

    def item_link(self, item):
        return reverse("prosecution:concern_public", kwargs={"public_ref": item.public_ref})

    def item_guid(self, item):
        return item.public_ref

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_extra_kwargs(self, item):
        latitude, longitude = blur(item.public_latitude), blur(item.public_longitude)
        if latitude is None or longitude is None:
            return {}
        return {"point": f"{latitude:.6f} {longitude:.6f}"}

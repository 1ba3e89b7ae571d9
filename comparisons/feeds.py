"""RSS feeds of published comparisons, with absolute links built from `SITE_URL`."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from .models import Comparison
from .views.lists import find_tag

FEED_SIZE = 20


class LatestComparisonsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "nicepick — latest comparisons"
    description = "Opinionated technology comparisons, each with a pick."

    def link(self):
        return settings.SITE_URL + reverse("home")

    def feed_url(self):
        return settings.SITE_URL + reverse("comparisons:feed")

    def items(self):
        return Comparison.objects.published().with_card_data()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """Plain text, escaped: RSS readers take a description as HTML."""
        verdict = getattr(item, "verdict", None)
        picked = verdict.picked_tool if verdict else None
        pick = f" Our pick: {picked.name}." if picked else ""
        return escape(item.summary + pick)

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class TagFeed(LatestComparisonsFeed):
    def get_object(self, request, slug):
        tag = find_tag(slug)
        if tag is None:
            raise Http404("No such tag.")
        return tag

    def title(self, tag):
        return f"nicepick — comparisons tagged “{tag.name}”"

    def description(self, tag):
        return f"Technology comparisons about {tag.name}."

    def link(self, tag):
        return settings.SITE_URL + reverse("comparisons:tag", args=[tag.slug])

    def feed_url(self, tag):
        return settings.SITE_URL + reverse("comparisons:tag_feed", args=[tag.slug])

    def items(self, tag):
        return Comparison.objects.published().filter(tags=tag.pk).with_card_data()[:FEED_SIZE]


class ChangesFeed(Feed):
    """Significant changes to verdicts (a pick or an edge), newest first."""

    feed_type = Rss201rev2Feed
    title = "nicepick — changed verdicts"
    description = "Each time one of our picks or a factor's edge changed, and why."

    def link(self):
        return settings.SITE_URL + reverse("comparisons:changes")

    def feed_url(self):
        return settings.SITE_URL + reverse("comparisons:changes_feed")

    def items(self):
        from .views.history import significant_changes

        return significant_changes()[:FEED_SIZE]

    def item_title(self, note):
        return f"{note.comparison.title}: verdict changed"

    def item_description(self, note):
        return escape(" ".join([note.note, *note.changes]))

    def item_link(self, note):
        return f"{settings.SITE_URL}{note.comparison.get_absolute_url()}#history"

    def item_guid(self, note):
        return f"{self.item_link(note)}-{note.pk}"

    def item_guid_is_permalink(self, note):
        return False

    def item_pubdate(self, note):
        return note.created_at

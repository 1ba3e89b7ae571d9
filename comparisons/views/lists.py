"""Browsing: the tag index, a tag's comparisons, a category's comparisons."""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView

from ..models import Category, Comparison
from ..pagecache import DependsMixin
from .articles import category_index, tag_index
from .card_lists import CardListMixin
from .meta import KnownCountMixin, PageMetaMixin

PAGE_SIZE = 12


TAG_SLUG = re.compile(r"[-\w]+")


def find_tag(slug):
    """
    The tag with this slug in any letter case, if a published comparison uses it (a
    `TagCount`, from the kept tag index: no query); None for unknown or malformed slugs and for
    tags used only on unpublished ones (which readers must not learn exist, not even through a
    redirect to the canonical letter case).
    """
    if len(slug) > 100 or not TAG_SLUG.fullmatch(slug):
        return None
    wanted = slug.lower()
    found = [tag for tag in tag_index() if tag.slug.lower() == wanted]
    return min(found, key=lambda tag: tag.pk, default=None)


class TagIndexView(DependsMixin, PageMetaMixin, ListView):
    """Every tag in use on a published comparison, with its count."""

    template_name = "comparisons/tag_index.html"
    context_object_name = "tags"

    def get_queryset(self):
        return sorted(tag_index(), key=lambda tag: tag.name.casefold())

    def get_meta_title(self):
        return "All tags"

    def get_meta_description(self):
        return "Every topic our technology comparisons cover, with how many each has."


class TagView(CardListMixin, DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    """A tag's published comparisons, newest first. “Django” and “django” are one tag."""

    template_name = "comparisons/tag_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        # A tag used only on drafts does not exist for readers: `find_tag` knows only tags in
        # use on published comparisons (so the list is not empty, and is not checked again).
        self.tag = find_tag(kwargs["slug"])
        if self.tag is None:
            raise Http404("No such tag.")
        if self.tag.slug != kwargs["slug"]:
            return redirect("comparisons:tag", slug=self.tag.slug, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_card_queryset(self):
        return Comparison.objects.published().filter(tags=self.tag.pk)

    def known_count(self):
        return self.tag.count

    def get_meta_title(self):
        return f"Comparisons tagged “{self.tag.name}”"

    def get_meta_description(self):
        return f"Technology comparisons about {self.tag.name}, newest first, each with a pick."

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class CategoryIndexView(DependsMixin, PageMetaMixin, ListView):
    """Every category with published comparisons, in the navigation's order, with its count."""

    template_name = "comparisons/category_index.html"
    context_object_name = "categories"

    def get_queryset(self):
        return category_index()

    def get_meta_title(self):
        return "All categories"

    def get_meta_description(self):
        return "Every field our technology comparisons cover, with how many each has."


class CategoryView(CardListMixin, DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    template_name = "comparisons/category_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        # A category in use is in the kept index (no query); an empty one is looked up.
        slug = kwargs["slug"]
        in_use = next((category for category in category_index() if category.slug == slug), None)
        self.category = in_use or get_object_or_404(Category, slug=slug)
        return super().get(request, *args, **kwargs)

    def get_card_queryset(self):
        return Comparison.objects.published().filter(category=self.category)

    def known_count(self):
        listed = category_index()
        return next((category.count for category in listed if category.pk == self.category.pk), 0)

    def get_meta_title(self):
        return f"{self.category.name} comparisons"

    def get_meta_description(self):
        return self.category.description or f"Technology comparisons in {self.category.name}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)

"""
A preview link opened by an outside reviewer: the version the editors are working on, with a
banner, without the "Disagree?" form; or a plain page saying the link no longer works.
See `comparisons.previews`.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.generic import DetailView

from .. import previews
from ..models import Comparison
from .articles import ArticlePageMixin

GONE_TITLE = "This preview link no longer works"


def keep_private(response):
    """Never indexed, never stored by a browser or proxy, and the token never sent onwards."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


class PreviewLinkView(ArticlePageMixin, DetailView):
    context_object_name = "comparison"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        self.link = previews.find(kwargs["token"])
        if self.link is None:
            raise Http404("No such preview link.")
        if not self.link.is_active():
            return keep_private(self.gone())
        if request.method == "GET":
            self.link.count_view()
        return keep_private(super().get(request, *args, **kwargs))

    def gone(self):
        return TemplateResponse(
            self.request,
            "comparisons/preview_link_gone.html",
            {"link": self.link, "meta": {"title": GONE_TITLE, "document_title": GONE_TITLE}},
            status=410,
        )

    def get_object(self, queryset=None):
        comparison = Comparison.objects.with_article_data().get(pk=self.link.comparison_id)
        return previews.version_to_show(comparison)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = True
        context["preview_link"] = self.link
        context["preview_shared_by"] = previews.shared_by(self.link)
        return context

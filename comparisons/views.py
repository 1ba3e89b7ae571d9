"""Readers' pages. What is visible is decided by `Comparison.objects.published()` alone."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView

from . import workflow
from .models import Comparison


class HomeView(ListView):
    """The latest published comparisons, as cards."""

    template_name = "comparisons/home.html"
    context_object_name = "comparisons"
    paginate_by = 12

    def get_queryset(self):
        return Comparison.objects.published().with_card_data()


class ComparisonDetailView(DetailView):
    """
    One article. The reversed pair (“express-vs-flask” for “flask-vs-express”) and any other
    spelling of the pair answer 301 to the canonical address.
    """

    context_object_name = "comparison"

    def get_queryset(self):
        return Comparison.objects.published().with_article_data()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            canonical = self.find_canonical(kwargs["slug"])
            if canonical is None:
                raise
            return redirect(canonical, permanent=True)

    @staticmethod
    def find_canonical(slug):
        tool_slugs = slug.split("-vs-")
        if len(tool_slugs) != 2:
            return None
        return Comparison.objects.published().for_tool_slugs(*tool_slugs).only("slug").first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = Comparison.objects.published().related_to(self.object)
        return context


class ComparisonPreviewView(DetailView):
    """
    Any state of an article, as readers would see it, for staff who may change it (and its
    author). Never indexed, never cached. Others get the login page, or a 404 that does not
    tell them the article exists.
    """

    context_object_name = "comparison"
    template_name = "comparisons/comparison_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def get_queryset(self):
        return Comparison.objects.with_article_data()

    def get_object(self, queryset=None):
        comparison = super().get_object(queryset)
        if not workflow.can_preview(self.request.user, comparison):
            raise Http404("No comparison found.")
        return comparison

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = Comparison.objects.published().related_to(self.object)
        context["preview"] = True
        context["preview_state"] = workflow.state_label(self.object)
        return context

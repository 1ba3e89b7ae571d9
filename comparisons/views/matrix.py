"""
`/matrix/?tools=a,b[,c[,d]]`: 2–4 tools side by side, fact by fact, with each pair's
editorial verdict where one is published.

One address per set of tools: other orders (and the chooser's `?tool=a&tool=b`) redirect to
the canonical one (tools by slug). Unknown, too few or too many tools get the page with a
message (404 or 400), never a 500. A fixed number of queries whatever the number of tools and
criteria: the public tools (one query, for the chooser and the lookup alike), the facts, and
the pairs' articles.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.views.generic import TemplateView

from .. import facts, invalidation
from ..models import Tool
from ..pagecache import DependsMixin
from .meta import PageMetaMixin


def _names(tools):
    names = [tool.name for tool in tools]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class MatrixView(DependsMixin, PageMetaMixin, TemplateView):
    template_name = "comparisons/matrix.html"

    def get(self, request, *args, **kwargs):
        self.matrix = None
        self.error = None
        raw = request.GET.getlist("tools") + request.GET.getlist("tool")
        self.public_tools = sorted(
            Tool.objects.public().only("name", "slug"), key=lambda tool: tool.name.lower()
        )
        if not raw:
            return self.render_to_response(self.get_context_data())
        try:
            tools = facts.parse_tools(facts.requested_slugs(raw), self.public_tools)
        except facts.MatrixError as error:
            self.error = error
            context = self.get_context_data()
            return self.render_to_response(context, status=error.status)
        canonical = facts.matrix_url(tools)
        if request.get_full_path() != canonical:
            # The chooser's form is a choice made now; another order is the same page.
            return redirect(canonical, permanent="tool" not in request.GET)
        self.matrix = facts.build_matrix(tools)
        response = self.render_to_response(self.get_context_data())
        if not self.matrix.complete:
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        chosen = {tool.slug for tool in self.matrix.tools} if self.matrix else set()
        return super().get_context_data(
            matrix=self.matrix,
            error=self.error,
            chooser=[(tool, tool.slug in chosen) for tool in self.public_tools],
            max_tools=facts.MAX_TOOLS,
            matrix_canonical=(
                settings.SITE_URL + facts.matrix_url(self.matrix.tools) if self.matrix else None
            ),
            **kwargs,
        )

    def get_cache_deps(self, context):
        # The chooser lists every public tool: which ones (published) and their names (tools).
        tags = {invalidation.PUBLISHED, invalidation.TOOLS}
        if self.matrix is not None:
            tags |= self.matrix.cache_deps()
        return tags

    def get_meta_title(self):
        if self.matrix is None:
            return "Compare tools side by side"
        return f"{_names(self.matrix.tools)}: the facts side by side"

    def get_meta_description(self):
        if self.matrix is None:
            return "Pick two to four tools and see their facts side by side, with our verdicts."
        return (
            f"{_names(self.matrix.tools)} compared fact by fact — language, license, learning "
            "curve and more — with links to our verdicts."
        )

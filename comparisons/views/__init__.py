"""
Readers' pages, one module per concern. What readers see is decided by
`Comparison.objects.published()` alone.
"""

from .articles import ComparisonDetailView, ComparisonPreviewView, HomeView
from .cards import social_card
from .feedback import DisagreeView
from .lists import CategoryIndexView, CategoryView, TagIndexView, TagView, ToolView
from .matrix import MatrixView
from .meta import bench_control, favicon, healthz, robots_txt
from .pages import PageView
from .search import SearchView

__all__ = [
    "CategoryIndexView",
    "CategoryView",
    "ComparisonDetailView",
    "ComparisonPreviewView",
    "DisagreeView",
    "HomeView",
    "MatrixView",
    "PageView",
    "SearchView",
    "TagIndexView",
    "TagView",
    "ToolView",
    "bench_control",
    "favicon",
    "healthz",
    "robots_txt",
    "social_card",
]

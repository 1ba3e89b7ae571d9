"""
Readers' pages, one module per concern. What readers see is decided by
`Comparison.objects.published()` alone.
"""

from .articles import ComparisonDetailView, ComparisonPreviewView, HomeView
from .feedback import DisagreeView
from .lists import CategoryView, TagIndexView, TagView, ToolView
from .meta import bench_control, favicon, healthz, robots_txt
from .search import SearchView

__all__ = [
    "CategoryView",
    "ComparisonDetailView",
    "ComparisonPreviewView",
    "DisagreeView",
    "HomeView",
    "SearchView",
    "TagIndexView",
    "TagView",
    "ToolView",
    "bench_control",
    "favicon",
    "healthz",
    "robots_txt",
]

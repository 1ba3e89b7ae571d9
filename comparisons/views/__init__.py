"""
Readers' pages, one module per concern. What readers see is decided by
`Comparison.objects.published()` alone.
"""

from .articles import ComparisonDetailView, ComparisonPreviewView, HomeView
from .authors import AuthorView
from .cards import social_card
from .feedback import DisagreeView
from .feedback import stamp as disagree_stamp
from .history import ChangesView
from .lists import CategoryIndexView, CategoryView, TagIndexView, TagView
from .matrix import MatrixView
from .meta import bench_control, favicon, healthz, robots_txt
from .pages import PageView
from .previews import PreviewLinkView
from .search import SearchView
from .tools import ToolView

__all__ = [
    "AuthorView",
    "ChangesView",
    "CategoryIndexView",
    "CategoryView",
    "ComparisonDetailView",
    "ComparisonPreviewView",
    "DisagreeView",
    "HomeView",
    "MatrixView",
    "PageView",
    "PreviewLinkView",
    "SearchView",
    "TagIndexView",
    "TagView",
    "ToolView",
    "bench_control",
    "disagree_stamp",
    "favicon",
    "healthz",
    "robots_txt",
    "social_card",
]

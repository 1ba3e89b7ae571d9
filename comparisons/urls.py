"""Public URLs of the comparisons app (DESIGN §6). Readers' pages go through the page cache."""

from django.urls import path

from . import feeds, views
from .pagecache import cache_page
from .views import api

app_name = "comparisons"

urlpatterns = [
    path("compare/<slug:slug>/", cache_page(views.ComparisonDetailView.as_view()), name="detail"),
    path("compare/<slug:slug>/preview/", views.ComparisonPreviewView.as_view(), name="preview"),
    path(
        "compare/<slug:slug>/disagree/",
        cache_page(views.DisagreeView.as_view()),
        name="disagree",
    ),
    path("tags/", cache_page(views.TagIndexView.as_view()), name="tag_index"),
    path("tags/<str:slug>/", cache_page(views.TagView.as_view()), name="tag"),
    path("tags/<str:slug>/feed/", cache_page(feeds.TagFeed()), name="tag_feed"),
    path("categories/", cache_page(views.CategoryIndexView.as_view()), name="category_index"),
    path("categories/<slug:slug>/", cache_page(views.CategoryView.as_view()), name="category"),
    path("tools/<slug:slug>/", cache_page(views.ToolView.as_view()), name="tool"),
    path("search/", cache_page(views.SearchView.as_view()), name="search"),
    path("matrix/", cache_page(views.MatrixView.as_view()), name="matrix"),
    path("api/tools/<slug:slug>.json", cache_page(api.tool_json), name="api_tool"),
    path("api/compare/<slug:slug>.json", cache_page(api.compare_json), name="api_compare"),
    path("feed/", cache_page(feeds.LatestComparisonsFeed()), name="feed"),
]

"""Public URLs of the comparisons app (DESIGN §6). Readers' pages go through the page cache."""

from django.urls import path

from . import feeds, views
from .pagecache import cache_page
from .views import api

app_name = "comparisons"

urlpatterns = [
    path("compare/<slug:slug>/", cache_page(views.ComparisonDetailView.as_view()), name="detail"),
    path("compare/<slug:slug>/preview/", views.ComparisonPreviewView.as_view(), name="preview"),
    # Shared with outside reviewers: no login, never cached (comparisons.previews).
    path("preview/<str:token>/", views.PreviewLinkView.as_view(), name="preview_link"),
    path(
        "compare/<slug:slug>/disagree/",
        cache_page(views.DisagreeView.as_view()),
        name="disagree",
    ),
    path("compare/<slug:slug>/disagree/stamp/", views.disagree_stamp, name="disagree_stamp"),
    path("tags/", cache_page(views.TagIndexView.as_view()), name="tag_index"),
    path("tags/<str:slug>/", cache_page(views.TagView.as_view()), name="tag"),
    path("tags/<str:slug>/feed/", cache_page(feeds.TagFeed()), name="tag_feed"),
    path("categories/", cache_page(views.CategoryIndexView.as_view()), name="category_index"),
    path("categories/<slug:slug>/", cache_page(views.CategoryView.as_view()), name="category"),
    path("tools/<slug:slug>/", cache_page(views.ToolView.as_view()), name="tool"),
    path("search/", cache_page(views.SearchView.as_view()), name="search"),
    path("authors/<slug:slug>/", cache_page(views.AuthorView.as_view()), name="author"),
    path("matrix/", cache_page(views.MatrixView.as_view()), name="matrix"),
    path("api/tools/<slug:slug>.json", cache_page(api.tool_json), name="api_tool"),
    path("api/compare/<slug:slug>.json", cache_page(api.compare_json), name="api_compare"),
    path("feed/", cache_page(feeds.LatestComparisonsFeed()), name="feed"),
    path("changes/", cache_page(views.ChangesView.as_view()), name="changes"),
    path("changes/feed/", cache_page(feeds.ChangesFeed()), name="changes_feed"),
]

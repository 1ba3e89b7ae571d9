"""Public URLs of the comparisons app (DESIGN §6)."""

from django.urls import path

from . import feeds, views

app_name = "comparisons"

urlpatterns = [
    path("compare/<slug:slug>/", views.ComparisonDetailView.as_view(), name="detail"),
    path("compare/<slug:slug>/preview/", views.ComparisonPreviewView.as_view(), name="preview"),
    path("compare/<slug:slug>/disagree/", views.DisagreeView.as_view(), name="disagree"),
    path("tags/", views.TagIndexView.as_view(), name="tag_index"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("tags/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("categories/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tools/<slug:slug>/", views.ToolView.as_view(), name="tool"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestComparisonsFeed(), name="feed"),
]

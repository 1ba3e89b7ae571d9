"""Project URLs: the public site, the admin and the editor's staff-only endpoints."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from comparisons import editor
from comparisons.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("comparisons.urls")),
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

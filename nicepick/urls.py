"""Project URLs: the public site, the admin and the editor's staff-only endpoints."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from comparisons import editor, uploads
from comparisons.metrics import metrics_view
from comparisons.pagecache import cache_page
from comparisons.sitemaps import SITEMAPS, sitemap_index
from comparisons.views import (
    HomeView,
    PageView,
    bench_control,
    favicon,
    healthz,
    robots_txt,
    social_card,
)

urlpatterns = [
    path("", cache_page(HomeView.as_view()), name="home"),
    path("", include("comparisons.urls")),
    # Flatpages that editors change in the admin (comparisons.views.pages).
    path("about/", cache_page(PageView.as_view(url="/about/")), name="about"),
    path("contact/", cache_page(PageView.as_view(url="/contact/")), name="contact"),
    # Sharing images, drawn when an article is saved or published (comparisons.socialcards).
    path(f"{settings.MEDIA_URL.strip('/')}/cards/<str:name>", social_card, name="social_card"),
    path("sitemap.xml", cache_page(sitemap_index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        cache_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", cache_page(robots_txt), name="robots"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    # Editors' uploaded images, in development and production alike (comparisons/uploads.py);
    # a proxy in front may serve this folder itself (README, "Deploying").
    path(
        f"{settings.MEDIA_URL.lstrip('/')}{settings.MARKDOWNX_MEDIA_PATH}<str:name>",
        uploads.serve,
        name="uploaded_image",
    ),
    path("admin/", admin.site.urls),
]

if settings.NICEPICK_BENCH_ENDPOINTS:
    # The trivial control view the load benchmark measures every page against (bench/).
    urlpatterns.append(path("bench/control/", bench_control, name="bench_control"))

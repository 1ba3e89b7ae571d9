"""Public URLs of the comparisons app (DESIGN §6)."""

from django.urls import path

from . import views

app_name = "comparisons"

urlpatterns = [
    path("compare/<slug:slug>/", views.ComparisonDetailView.as_view(), name="detail"),
    path("compare/<slug:slug>/preview/", views.ComparisonPreviewView.as_view(), name="preview"),
]

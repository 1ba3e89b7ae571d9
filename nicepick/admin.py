"""The admin site: Django's, with the editors' dashboard on its index page."""

from django.contrib import admin


class NicepickAdminSite(admin.AdminSite):
    site_header = "nicepick editorial"
    site_title = "nicepick admin"
    index_title = "Dashboard"
    index_template = "admin/nicepick_index.html"

    def index(self, request, extra_context=None):
        from comparisons import pending
        from comparisons.dashboard import dashboard_for

        # Scheduled changes go live on time through the task worker; without one (development)
        # an editor opening the dashboard does it.
        pending.publish_due()
        extra_context = {**(extra_context or {}), "dashboard": dashboard_for(request.user)}
        return super().index(request, extra_context)

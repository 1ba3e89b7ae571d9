from django.contrib.admin.apps import AdminConfig


class NicepickAdminConfig(AdminConfig):
    default_site = "nicepick.admin.NicepickAdminSite"

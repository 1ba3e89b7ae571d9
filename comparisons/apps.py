from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from . import invalidation, revisions, search

        revisions.register()
        search.connect()
        invalidation.connect()

from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from . import pagecache, revisions, search

        revisions.register()
        search.connect()
        pagecache.connect()

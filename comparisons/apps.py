from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from . import pagecache, revisions, search

        revisions.register()
        search.connect()
        pagecache.connect()
        connect_pages(pagecache.bump)


def connect_pages(bump):
    """An editor's change to About or Contact shows on the next request (see pagecache)."""
    from django.contrib.flatpages.models import FlatPage
    from django.db.models.signals import post_delete, post_save

    post_save.connect(bump, sender=FlatPage, dispatch_uid="pagecache-flatpage-save", weak=False)
    post_delete.connect(bump, sender=FlatPage, dispatch_uid="pagecache-flatpage-delete", weak=False)

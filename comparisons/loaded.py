"""
What a save path has already read or saved, handed on with the object as a prefetch would hand
it: the steps after the save (the revision, the workflow move, the social card, the search
index) then take the comparison's factors, verdict and tags from it instead of reading them
again.
"""


def attach(instance, name, rows):
    """From now on `instance.<name>.all()` answers `rows`, without a query."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    queryset = getattr(instance, name).get_queryset()
    # What Django's prefetch_related_objects does with the rows it has read.
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache[name] = queryset


def attach_tags(comparison, tagged_items):
    """The comparison's tags, as its tagged items (with their tags) and as tags."""
    tagged_items = list(tagged_items)
    attach(comparison, "tagged_items", tagged_items)
    attach(comparison, "tags", [item.tag for item in tagged_items])


def is_attached(instance, name):
    return name in getattr(instance, "_prefetched_objects_cache", {})

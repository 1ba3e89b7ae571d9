"""
Work collected during a transaction and done once, after it commits.

A save of the admin's change form touches the comparison, eight factors, the verdict and the
tags: derived data (the search index, the article's stored fragment) must be rebuilt once for
all of them, from the committed rows, not once per signal. `OnCommitBatch.add(*keys)` collects
keys in the current transaction and calls `flush(keys)` once when it commits (at once outside a
transaction); a rolled-back transaction drops its keys with its callback.
"""

import threading

from django.db import transaction


class OnCommitBatch:
    def __init__(self, flush):
        self.flush = flush
        self.local = threading.local()

    def add(self, *keys):
        keys = {key for key in keys if key is not None}
        if not keys:
            return
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            self.flush(keys)
            return
        pending = getattr(self.local, "pending", None)
        if pending is None or not any(
            callback is pending.callback for _sids, callback, _robust in connection.run_on_commit
        ):
            # A new transaction, or the last one's callback went with a rolled-back savepoint.
            pending = self.local.pending = _Pending(self)
            pending.keys.update(keys)
            transaction.on_commit(pending.callback, robust=True)
        else:
            pending.keys.update(keys)


class _Pending:
    def __init__(self, batch):
        self.keys = set()
        self.callback = lambda: batch.flush(self.keys)

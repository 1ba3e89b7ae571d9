"""
Work collected during a transaction and done once, after it commits.

A save of the admin's change form touches the comparison, eight factors, the verdict and the
tags: derived data (the search index, the article's stored fragment) must be rebuilt once for
all of them, from the committed rows, not once per signal. `OnCommitBatch.add(*keys)` collects
keys in the current transaction and calls `flush(keys, known)` once when it commits (at once
outside a transaction); a rolled-back transaction drops its keys with its callback.

`add_known(key, value)` adds a key with what the flush needs of it, already at hand (the admin's
save holds the comparison it has just written): the flush need not read it. A later `add(key)`
in the same transaction says the key changed again and drops the value.
"""

import threading

from django.db import transaction


class OnCommitBatch:
    def __init__(self, flush):
        self.flush = flush
        self.local = threading.local()

    def add(self, *keys):
        self._add({key for key in keys if key is not None}, {})

    def add_known(self, key, value):
        self._add({key}, {key: value})

    def _add(self, keys, known):
        if not keys:
            return
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            self.flush(keys, known)
            return
        pending = getattr(self.local, "pending", None)
        if pending is None or not any(
            callback is pending.callback for _sids, callback, _robust in connection.run_on_commit
        ):
            # A new transaction, or the last one's callback went with a rolled-back savepoint.
            pending = self.local.pending = _Pending(self)
            pending.add(keys, known)
            transaction.on_commit(pending.callback, robust=True)
        else:
            pending.add(keys, known)


class _Pending:
    def __init__(self, batch):
        self.keys = set()
        self.known = {}
        self.callback = lambda: batch.flush(self.keys, self.known)

    def add(self, keys, known):
        self.keys.update(keys)
        for key in keys:
            self.known.pop(key, None)  # changed again: what was known of it is not current
        self.known.update(known)

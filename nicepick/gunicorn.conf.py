"""
gunicorn settings for `make serve` (and `make bench`), read from the environment.

Sync workers by default, one process per core and one more; GUNICORN_THREADS > 1 switches to
threaded workers. No preload: each worker opens its own database connections after the fork
(persistent, health-checked: see DATABASE_CONN_MAX_AGE).
"""

import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
# Access log to stdout (GUNICORN_ACCESS_LOG=off silences it, e.g. under load tests).
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG") == "off" else "-"
errorlog = "-"
# Addresses allowed to set X-Forwarded-* (the load balancer in front).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus: every worker writes its counters here and /metrics adds them up. Emptied when the
# server starts; a worker that exits is marked dead so its live gauges stop counting.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(tempfile.gettempdir(), f"nicepick-metrics-{os.getpid()}"),
)


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

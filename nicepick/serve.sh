#!/usr/bin/env bash
# `make serve`: gunicorn and the task worker that sends the notifications, side by side.
#
# The worker (`manage.py db_worker`) runs only when notifications are queued in the database
# (NICEPICK_TASKS_BACKEND=database, the production default). A worker that stops (its database
# went away, say) is started again after a pause: the readers' site must not go down with it,
# since cached pages need no database. If gunicorn stops, the worker is stopped too and this
# script exits with gunicorn's status, so a supervisor (systemd, a container runtime) sees the
# service die and restarts it whole. SIGTERM or Ctrl-C stops both gracefully:
# gunicorn finishes its requests and the worker its current message. Under systemd, use
# KillMode=mixed so that only this script receives the first SIGTERM.
set -u
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
gunicorn=${GUNICORN:-.venv/bin/gunicorn}

# Exit 0 when the configured task backend needs a worker, 3 when it does not.
"$python" - <<'PY'
import os
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nicepick.settings")
django.setup()
from comparisons.mail import needs_worker

raise SystemExit(0 if needs_worker() else 3)
PY
case $? in
  0) worker=yes ;;
  3) worker=no; echo "serve: notifications are sent at once (no database queue): no worker" >&2 ;;
  *) exit 1 ;;
esac

pids=()
# Children run in sessions of their own (setsid), so a Ctrl-C on the terminal reaches this
# script alone and each child is asked to stop exactly once (twice makes the worker abandon
# the message it is sending; it would be retried, but later).
worker_pid=""
if [ "$worker" = yes ]; then
  setsid bash -c '
    while true; do
      "$0" manage.py db_worker --no-reload
      echo "serve: the task worker stopped (status $?); starting it again in ${WORKER_RESTART_SECONDS:-5} s" >&2
      sleep "${WORKER_RESTART_SECONDS:-5}"
    done' "$python" &
  worker_pid=$!
fi
setsid "$gunicorn" nicepick.wsgi -c nicepick/gunicorn.conf.py &
gunicorn_pid=$!

stop() {
  trap - INT TERM
  kill -TERM "$gunicorn_pid" 2>/dev/null
  # The restart loop and its worker, as one process group; wait for the worker to finish the
  # message it is sending (at most 60 s) before saying we stopped.
  [ -n "$worker_pid" ] && kill -TERM -- "-$worker_pid" 2>/dev/null
  wait "$gunicorn_pid" $worker_pid 2>/dev/null
  if [ -n "$worker_pid" ]; then
    for _ in $(seq 600); do
      kill -0 -- "-$worker_pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
}
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT

wait "$gunicorn_pid"
status=$?
echo "serve: gunicorn stopped (status $status); stopping the worker" >&2
stop
exit "$status"

#!/usr/bin/env bash
# `make serve`: gunicorn and the task worker that sends the notifications, side by side.
#
# The worker (`manage.py db_worker`) runs only when notifications are queued in the database
# (NICEPICK_TASKS_BACKEND=database, the production default). If either process stops, the other
# is stopped too and this script exits with its status, so a supervisor (systemd, a container
# runtime) sees the service die and restarts it whole. SIGTERM or Ctrl-C stops both gracefully:
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
if [ "$worker" = yes ]; then
  setsid "$python" manage.py db_worker --no-reload &
  pids+=($!)
fi
setsid "$gunicorn" nicepick.wsgi -c nicepick/gunicorn.conf.py &
pids+=($!)

stop() {
  trap - INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
}
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT

wait -n "${pids[@]}"
status=$?
echo "serve: a process stopped (status $status); stopping the others" >&2
stop
exit "$status"

"""gunicorn settings for one app server behind nginx (deploy/nginx.conf):

    gunicorn -c deploy/gunicorn.conf.py twitchsite.wsgi

Every value may be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...),
and any option on the command line wins over this file. The tests run their app servers
with this file (harness/proxy.py), their ports and worker counts given on the command line.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Where nginx reaches this server: a private address, never the public one.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers: a request waiting on PostgreSQL or Redis holds a thread, not a process.
# nginx hands over only whole requests, so threads never wait on a slow client.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# gunicorn's advice, 2 x cores + 1, capped: each thread may keep a PostgreSQL connection open
# (DJANGO_CONN_MAX_AGE), and servers x workers x threads must stay below the database's
# max_connections (100 by default).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))

# A worker silent this long is killed and replaced; nginx's proxy_read_timeout matches it.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a restart), in-flight requests get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# nginx opens one connection per request; keep-alive only matters if something else connects.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# One line per request on stdout (the service manager keeps it), without the query string:
# %(U)s is the path alone, as in nginx's log (search terms and checker answers stay out).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# The master loads the app, and with it warms up (twitchsite/warmup.py: the checker's data
# built, then frozen from the garbage collector), before it opens its port: while a
# restarted server gets ready, nginx finds it closed and sends its requests to the other
# one, instead of leaving them queued behind the warm-up. The workers share the warmed-up
# memory. A code change needs a restart (not HUP), as any deploy does here.
preload_app = True

"""gunicorn settings for Reconnect: `gunicorn -c deploy/gunicorn.conf.py reconnect.wsgi`.

Each value can be changed by the environment (GUNICORN_BIND, WEB_WORKERS, WEB_THREADS)
or on the command line, which wins over this file.
"""

import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

# The project folder, wherever gunicorn is started from.
chdir = str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, chdir)

from reconnect.logging import redact  # noqa: E402

# Behind Caddy, on loopback only: nothing reaches gunicorn but the proxy.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Processes for the CPUs, threads for requests waiting on the database.
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
# A request that takes this long is stuck: its worker is restarted. An import of a
# long journal is the slowest request and takes well under it.
timeout = 60
graceful_timeout = 20
keepalive = 5
# Caddy sets X-Forwarded-For and -Proto; gunicorn passes them on from loopback only.
forwarded_allow_ips = "127.0.0.1,::1"
# No control socket in $HOME: the systemd unit has no writable home.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# Method, path without its query string (searches can hold words from the notes),
# status, size and time in ms; no address, user agent or referrer.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class AccessLogger(Logger):
    """The access log without health checks, and without the tokens some paths carry."""

    def access(self, resp, req, environ, request_time) -> None:
        if environ.get("PATH_INFO") == "/healthz":
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms["U"])
        return atoms


logger_class = AccessLogger

"""The first requests after a PostgreSQL restart succeed.

    DATABASE_URL=postgres://… .venv/bin/python bench/restart.py "COMMAND THAT RESTARTS IT"

Serves the app from gunicorn (the production configuration, whose worker threads
keep their database connections) on a throwaway database beside the one
DATABASE_URL names, signs in and reads the journal on every thread, runs the
command that restarts the PostgreSQL server (it must wait until the server is up,
as `pg_ctl -w restart` does), then sends REQUESTS more requests. Each must answer
200: a kept connection is checked before it is reused (CONN_HEALTH_CHECKS), and a
dead one replaced. Exits with status 1 otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.stack import (  # noqa: E402
    Browser,
    free_port,
    gunicorn,
    on_loopback,
    running,
    stop_on_signals,
)

REQUESTS = 15
PASSWORD = "restarted, and still here"


def main() -> int:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    restart = sys.argv[1]
    stop_on_signals()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL server the command restarts.")
    with on_loopback("restart") as (tmp, env, description):
        port = free_port()
        browser = Browser(f"http://127.0.0.1:{port}")
        with running(gunicorn(tmp, port=port, env=env), browser):
            print(f"Database: {description}; gunicorn on port {port}.")
            browser.sign_up("restart@example.com", PASSWORD, env)
            # Enough requests that every worker thread holds a connection.
            before = [browser.request("/journal/")[0] for _ in range(REQUESTS)]
            subprocess.run(restart, shell=True, check=True)
            print("PostgreSQL restarted.")
            after = [browser.request("/journal/")[0] for _ in range(REQUESTS)]
    print(f"Before the restart: {before}")
    print(f"After the restart:  {after}")
    failed = [status for status in before + after if status != 200]
    print("OK" if not failed else f"{len(failed)} request(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

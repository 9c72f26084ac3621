"""Whether a worker's memory stays flat under a steady write load.

    .venv/bin/python bench/soak.py [SECONDS]     # 600 by default

Serves the app from one gunicorn worker (the production configuration, DEBUG off,
the per-process cache) on a throwaway SQLite database, or beside the PostgreSQL
one DATABASE_URL names. One browser session logs a contact every second through
the full form and, after each, reads Today, the journal, the trends (four weeks
and all time), the guidance and this week's review: every write makes the cached
parts of those pages stale.
Prints the worker's resident memory (RSS) after a minute's warm-up and at the
end, and the growth between; exits with status 1 if it grew by more than 20 MB.
"""

from __future__ import annotations

import datetime
import sys
import time
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

WARM_UP_SECONDS = 60
GROWTH_LIMIT_MB = 20
PASSWORD = "a steady load for a while"


def worker_rss_mb(master_pid: int) -> float:
    """The resident memory of the master's one worker, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    kilobytes = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(kilobytes.split()[1]) / 1024


def main() -> int:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    stop_on_signals()
    with on_loopback("soak") as (tmp, env, description):
        port = free_port()
        browser = Browser(f"http://127.0.0.1:{port}")
        server = gunicorn(tmp, port=port, env=env, options=("--workers", "1"))
        with running(server, browser):
            assert server.process is not None
            print(f"Database: {description}; one gunicorn worker on port {port}.")
            browser.sign_up("soak@example.com", PASSWORD, env)
            browser.submit(
                "/welcome/",
                {
                    "partner_name": "Sam",
                    "partner_pronouns": "they",
                    "timezone": "UTC",
                    "week_start": "0",
                },
            )
            week = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
            pages = [
                "/",
                "/journal/",
                "/journal/trends/?range=4w",
                "/journal/trends/?range=all",
                "/guidance/",
                f"/journal/reviews/{week}/",
            ]
            started = time.monotonic()
            before = None
            writes = failures = 0
            samples: list[float] = []
            while (elapsed := time.monotonic() - started) < seconds:
                status, _, _, _ = browser.submit(
                    "/journal/new/",
                    {
                        "kind": "contact",
                        "date": datetime.date.today().isoformat(),
                        "approach": "approachable",
                        "note": f"Soak {writes}",
                    },
                )
                writes += 1
                failures += status != 302
                for path in pages:
                    failures += browser.request(path)[0] != 200
                if before is None and elapsed >= min(WARM_UP_SECONDS, seconds / 4):
                    before = worker_rss_mb(server.process.pid)
                if writes % 60 == 0:
                    samples.append(worker_rss_mb(server.process.pid))
                time.sleep(max(0.0, writes - (time.monotonic() - started)))
            after = worker_rss_mb(server.process.pid)
    assert before is not None
    growth = after - before
    print(f"{writes} writes over {seconds} s, each followed by {len(pages)} page reads")
    print(f"  worker RSS after warm-up {before:6.1f} MB")
    print(f"  worker RSS at the end    {after:6.1f} MB   (growth {growth:+.1f} MB)")
    print("  every 60 writes (MB): " + " ".join(f"{sample:.0f}" for sample in samples))
    print(f"  failed requests {failures}")
    ok = growth <= GROWTH_LIMIT_MB and not failures
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

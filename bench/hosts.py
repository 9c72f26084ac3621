"""Two app servers, one journal: gunicorn twice on one PostgreSQL with a shared cache.

    DATABASE_URL=postgres://user@127.0.0.1:5432/x make hosts-check   # user needs CREATEDB
    CACHE_URL=redis://127.0.0.1:6379/0 DATABASE_URL=… make hosts-check

Serves the app from two gunicorn servers ("hosts", each on a port of its own, as
two machines would be) on a throwaway database beside the one DATABASE_URL names,
with a cache both share for the sign-in counters: the database's cache table
(CACHE_URL=db://reconnect_cache, the default here) or the Redis server CACHE_URL
names, which is flushed first. Each host keeps its computed trends and pages in its
own memory, under the journal's version. One browser session signs in on host A,
then ROUNDS times: logs an entry through one host and, at once, reads the journal
and the trends through the other, each of which must already show it; host B's
pages are read before the first write too, so its cache is warm with what is about
to change. Prints the latencies per host and exits with status 1 on any stale or
failed answer.
"""

from __future__ import annotations

import datetime
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402

from deploy.stack import (  # noqa: E402
    Browser,
    free_port,
    gunicorn,
    on_loopback,
    running,
    stop_on_signals,
)

ROUNDS = 40
PASSWORD = "two hosts, one journal"
ENTRY_COUNT = re.compile(r"(\d+) entr(?:y|ies)\.")
# Below three entries the trends page says how many there are; from three on, its first chart does.
TREND_TOTAL = re.compile(r"you have (\d+) so far|(\d+) approachable and \d+ pressuring contacts")


def main() -> int:
    stop_on_signals()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: several hosts need one.")
    cache_url = os.environ.get("CACHE_URL", "db://reconnect_cache")
    if cache_url.startswith("redis"):
        redis.Redis.from_url(cache_url).flushdb()
    with on_loopback("hosts", CACHE_URL=cache_url) as (tmp, env, description):
        print(f"Database: {description}; cache: {cache_url}.")
        ports = free_port(), free_port()
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        servers = [gunicorn(tmp, port=port, env=env) for port in ports]
        with running(servers[0], Browser(urls[0])), running(servers[1], Browser(urls[1])):
            print(f"Host A: {urls[0]}; host B: {urls[1]}")
            problems = exercise(urls, env)
    for problem in problems[:20]:
        print(f"FAILED: {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def exercise(urls: list[str], env: dict[str, str]) -> list[str]:
    """Write through one host, read through the other; the problems found."""
    a = Browser(urls[0])
    a.sign_up("hosts@example.com", PASSWORD, env)
    a.submit(
        "/welcome/",
        {"partner_name": "Sam", "partner_pronouns": "they", "timezone": "UTC", "week_start": "0"},
    )
    # The same session on both hosts, as a browser behind a load balancer has.
    hosts = [a, Browser(urls[1], cookies=a.jar)]
    problems: list[str] = []
    timings: dict[str, list[float]] = {"writes": [], "reads": []}

    def read(host: Browser, expected: int, round_: int) -> None:
        for path, pattern in (("/journal/", ENTRY_COUNT), ("/journal/trends/", TREND_TOTAL)):
            status, page, ms = host.request(path)
            timings["reads"].append(ms)
            shown = pattern.search(page)
            count = int(next(filter(None, shown.groups()))) if shown else 0
            if status != 200 or count != expected:
                problems.append(f"round {round_}: {path} answered {status}, showing {count}")

    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    read(hosts[1], 0, 0)
    for round_ in range(1, ROUNDS + 1):
        writer, reader = (hosts[0], hosts[1]) if round_ % 2 else (hosts[1], hosts[0])
        status, _, _, ms = writer.submit(
            "/journal/new/",
            {
                "kind": "contact",
                "date": today,
                "approach": "approachable",
                "note": f"Round {round_}",
            },
        )
        timings["writes"].append(ms)
        if status != 302:
            problems.append(f"round {round_}: saving answered {status}")
        read(reader, round_, round_)
    print(f"\n{ROUNDS} entries, each written through one host and read at once on the other")
    print(f"  {'':<12}{'requests':>9}{'p50 ms':>9}{'max ms':>9}")
    for name, times in timings.items():
        print(f"  {name:<12}{len(times):>9}{statistics.median(times):>9.0f}{max(times):>9.0f}")
    print(f"\nStale or failed answers: {len(problems)}")
    return problems


if __name__ == "__main__":
    sys.exit(main())

"""Backfill a reference on many orders: paced at the vendor's limits, journalled, resumable.

``orderpatch.bulk.update_orders`` takes ``(order id, change)`` pairs (or a JSONL/CSV file),
checks every one before sending anything, paces all its workers with one rate limiter, writes
each order to a journal before its request leaves, and returns a report that accounts for
every order. Running it again with the same journal sends nothing that is already done.

A ``Selection`` (a filter and one change; ``orderpatch bulk --where … --set …``) is listed
through the job's budget and journalled before the first write; orders that already hold the
change are skipped without one.

Runs against the bundled local sandbox (``pip install 'orderpatch[sandbox]'``), with Commerce
Layer's own rate limits emulated over windows 100 times shorter.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import orderpatch
from orderpatch import OrderChanges, OrderFilter, Rate
from orderpatch.bulk import Progress, Selection, update_orders
from orderpatch.sandbox import Sandbox

ORDERS = 120
SCALE = 0.01  # Commerce Layer's 25 per 10 s and 100 per minute, as 25 per 0.1 s and 100 per 0.6 s


def main() -> None:
    with Sandbox(vendor_limits=SCALE) as sandbox, tempfile.TemporaryDirectory() as work:
        config = orderpatch.Config.from_mapping({"vendor": "commercelayer", **sandbox.settings("commercelayer")})
        ids = sandbox.add_orders("commercelayer", ORDERS)
        changes = [(order_id, OrderChanges(reference=f"ERP-{n:05d}")) for n, order_id in enumerate(ids)]
        journal = Path(work) / "backfill.sqlite3"
        rates = [Rate(limit=25, period=10 * SCALE), Rate(limit=100, period=60 * SCALE)]
        seen: list[Progress] = []

        report = update_orders(changes, config=config, journal=journal, rates=rates, concurrency=8,
                               on_progress=seen.append)
        print(report.to_table(), end="")
        print(f"progress callbacks: {len(seen)}, last: {seen[-1].done} done of {seen[-1].total}")

        again = update_orders(changes, config=config, journal=journal, rates=rates)  # a rerun resumes
        writes = [r for r in sandbox.requests_log() if r.method == "PATCH" and r.status == 200]
        throttled = [r for r in sandbox.requests_log() if r.status == 429]

        # Tag a campaign's orders by a selection; a second job with the same change finds them all done.
        campaign = Selection(where=OrderFilter(ids=ids[:30]), changes=OrderChanges(metadata={"campaign": "c42"}))
        tagged = update_orders(campaign, config=config, journal=Path(work) / "campaign.sqlite3", rates=rates)
        checked = update_orders(campaign, config=config, journal=Path(work) / "again.sqlite3", rates=rates)
    print(f"rerun: {again.counts}; {len(writes)} PATCHes for {ORDERS} orders, {len(throttled)} 429s")
    print(f"selection: {tagged.counts}; the same selection again: {checked.counts}")
    assert report.exit_code == 0
    assert again.exit_code == 0
    assert len(writes) == ORDERS
    assert tagged.counts == {"done": 30}
    assert checked.counts == {"skipped": 30}


if __name__ == "__main__":
    main()

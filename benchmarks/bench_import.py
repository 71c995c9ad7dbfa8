"""Import time and time to the first completed call, in fresh interpreters.

* Import time: ``python -X importtime -c "import X"`` several times; per run, the cumulative
  microseconds of the top-level entries that ``python -c pass`` does not already import (for
  ``import orderpatch`` that is the ``orderpatch`` line; for a dotted module, its packages).
  The subprocess wall time (without ``-X importtime``) is shown beside it. Floors: ``-c pass``
  and ``import httpx``. Medians of several runs.
* What ``import orderpatch`` loads (``sys.modules`` before and after): the vendor packages, the
  sandbox and the CLI must stay out until used.
* First call: in a fresh interpreter, import + client + one update over a mock transport,
  timed from the snippet's first line to the parsed result (interpreter start-up excluded).

    python benchmarks/bench_import.py [--quick] [--json PATH]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _harness import Options, Table, header, median, parse_options, ratio, save, skip
from alternatives import GENERATED_CL
from cases import VENDORS, token_body
from payloads import payload

from orderpatch._http import httpx as _package  # the package orderpatch runs on here: httpx, or httpx2

#: The HTTP package of the first-call snippets, the same one orderpatch picks in this process
#: (with httpx2 installed that is httpx2 unless ORDERPATCH_HTTP says otherwise, docs/http.md):
#: an ``httpx.Client`` handed to orderpatch running on httpx2 is refused.
HTTP_PACKAGE = _package.__name__

#: The target: ``import orderpatch`` takes at most this share of ``import openai``.
TARGET_SHARE = 0.25
#: Modules ``import orderpatch`` must not load (they load on first use).
MUST_BE_LAZY = (
    "orderpatch.licensespring", "orderpatch.commercelayer", "orderpatch.spree", "orderpatch.trunkery",
    "orderpatch.sandbox", "orderpatch.cli", "orderpatch._facade", "orderpatch._config", "orderpatch.errors", "httpx",
    "attrs", "cattrs", "starlette", "uvicorn",
)  # fmt: skip


def run(code: str, *, importtime: bool = False) -> tuple[float, str, str]:
    """Run ``python -c code`` in a fresh interpreter: (wall ms, stdout, stderr)."""
    argv = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", code]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["ORDERPATCH_HTTP"] = HTTP_PACKAGE
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    wall = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{code!r} failed:\n{done.stderr[-2000:]}")
    return wall, done.stdout, done.stderr


def top_level(importtime_output: str) -> dict[str, int]:
    """``{module: cumulative µs}`` of the entries imported directly by the ``-c`` code."""
    entries: dict[str, int] = {}
    for line in importtime_output.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        _, cumulative, name = line.split("|")
        if name.startswith("  "):  # nested: imported by another module
            continue
        entries[name.strip()] = int(cumulative)
    return entries


def importable(module: str) -> bool:
    try:
        run(f"import {module}")
    except RuntimeError:
        return False
    return True


def import_rows(options: Options) -> tuple[Table, dict[str, float]]:
    runs = options.pick(9, 2)
    startup = set(top_level(run("pass", importtime=True)[2]))
    targets = ["httpx", "orderpatch", *(f"orderpatch.{v}" for v in VENDORS)]
    for module, what in (
        ("openai", "openai"),
        ("stripe", "stripe"),
        (GENERATED_CL, "the generated commercelayer 3.0.4"),
    ):
        if importable(module):
            targets.append(module)
        else:
            skip(f"import time of {what}", f"{module} is not installed; bash benchmarks/setup_benchvenv.sh installs it")
    pass_wall = median([run("pass")[0] for _ in range(runs)])
    import_ms: dict[str, float] = {}
    wall_ms: dict[str, float] = {}
    for module in targets:
        run(f"import {module}")  # warm the bytecode caches
        samples, walls = [], []
        # The generated client's PATCH module imports ~11,000 modules (seconds per run): 3 runs do.
        for _ in range(min(runs, 3) if module == GENERATED_CL else runs):
            wall, _, stderr = run(f"import {module}", importtime=True)
            entries = top_level(stderr)
            samples.append(sum(us for name, us in entries.items() if name not in startup) / 1000)
            # --quick reuses the -X importtime run's wall time (a little slower) instead of a second run.
            walls.append(wall if options.quick else run(f"import {module}")[0])
        import_ms[module], wall_ms[module] = median(samples), median(walls)
    table = Table(
        "import time (fresh interpreter; median of runs)",
        ["statement", "import ms (-X importtime)", "wall ms (subprocess)", "x import httpx", "x import openai"],
    )
    table.add("python -c pass (floor)", "—", f"{pass_wall:.1f}", "—", "—")
    openai_ms = import_ms.get("openai")
    for module in targets:
        share = "—" if openai_ms is None else ratio(import_ms[module], openai_ms)
        table.add(
            f"import {module}", f"{import_ms[module]:.1f}", f"{wall_ms[module]:.1f}",
            ratio(import_ms[module], import_ms["httpx"]), share,
        )  # fmt: skip
    table.notes.append(
        f"{runs} runs each ({min(runs, 3)} for {GENERATED_CL}); import ms sums the top-level -X importtime entries"
        " that `python -c pass` does not have"
    )
    if openai_ms is not None:
        value = import_ms["orderpatch"] / openai_ms
        met = "met" if value <= TARGET_SHARE else "MISSED"
        table.notes.append(f"target: import orderpatch ≤ {TARGET_SHARE:.2f}x import openai: {value:.3f}x — {met}")
    else:
        table.notes.append("target: import orderpatch ≤ 1/4 of import openai: not measured (openai not installed)")
    return table, import_ms


def lazy_table() -> Table:
    """What ``import orderpatch`` adds to ``sys.modules``."""
    code = (
        "import sys, json; before = set(sys.modules); import orderpatch; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    loaded: list[str] = json.loads(run(code)[1])
    ours = [name for name in loaded if name.split(".")[0] == "orderpatch"]
    table = Table("what `import orderpatch` loads (sys.modules)", ["check", "result"])
    table.add("modules added", f"{len(loaded)} ({len(ours)} of orderpatch: {', '.join(ours)})")
    table.add("others added", ", ".join(name for name in loaded if name not in ours))
    for name in MUST_BE_LAZY:
        hit = [m for m in loaded if m == name or m.startswith(name + ".")]
        table.add(f"{name} not loaded", "yes" if not hit else f"NO: {', '.join(hit)}")
    return table


# --- the first completed call -----------------------------------------------------------------

_HEAD = "import time\n_t0 = time.perf_counter()\n"
_TAIL = "print(f'{(time.perf_counter() - _t0) * 1000:.3f}')\n"
_MOCK = f"import {HTTP_PACKAGE} as httpx\n" + """BODY = open({body!r}, 'rb').read()
TOKEN = {token!r}
def handle(request):
    if request.url.path == {token_path!r}:
        return httpx.Response(200, content=TOKEN, headers={{'Content-Type': 'application/json'}})
    return httpx.Response(200, content=BODY, headers={{'Content-Type': {content_type!r}}})
HTTP = httpx.Client(transport=httpx.MockTransport(handle))
"""
_CALLS = {
    "raw httpx + json (floor)": (
        "import json\n"
        "r = HTTP.patch('https://saas.licensespring.test/api/v1/orders/1629789747117569/',"
        " content=json.dumps({'store_id': 'patched_store_id'}), headers={'Authorization': 'Api-Key k'})\n"
        "r.json()\n",
        "licensespring",
    ),
    "orderpatch.licensespring": (
        "from orderpatch.licensespring import LicenseSpringClient, OrderUpdate\n"
        "with LicenseSpringClient(api_key='k', base_url='https://saas.licensespring.test', http_client=HTTP) as c:\n"
        "    c.orders.update(1629789747117569, OrderUpdate(store_id='patched_store_id'))\n",
        "licensespring",
    ),
    "orderpatch.commercelayer": (
        "from orderpatch.commercelayer import CommerceLayerClient, MarketRef, OrderUpdate\n"
        "with CommerceLayerClient(base_url='https://bench.commercelayer.io', client_id='i', client_secret='s',"
        " auth_url='https://auth.commercelayer.test/oauth/token', http_client=HTTP) as c:\n"
        "    c.orders.update('xYZkjABcde', OrderUpdate(coupon_code='SUMMER', market=MarketRef(id='dlQbPhNNop')))\n",
        "commercelayer",
    ),
    "orderpatch.spree": (
        "from orderpatch.spree import OrderUpdate, SpreeClient\n"
        "with SpreeClient(base_url='https://shop.spree.test', client_id='i', client_secret='s',"
        " http_client=HTTP) as c:\n"
        "    c.orders.update('R484277352', OrderUpdate(email='new@example.com'))\n",
        "spree",
    ),
    "orderpatch.trunkery": (
        "from orderpatch.trunkery import OrderModify, TrunkeryClient\n"
        "with TrunkeryClient('t', shop_id='sh_EQzGqWoY', base_url='https://api.lana.test', http_client=HTTP) as c:\n"
        "    c.orders.modify('or_EQzGqWoY', OrderModify(tags=['vip']))\n",
        "trunkery",
    ),
    "generated commercelayer 3.0.4": (
        "from commercelayer.client import AuthenticatedClient\n"
        "from commercelayer.models.order_update import OrderUpdate\n"
        f"import {GENERATED_CL} as patch\n"
        "class Shim:\n"
        "    AsyncClient = httpx.AsyncClient\n"
        "    @staticmethod\n"
        "    def request(*, method, url, headers, json, timeout, **_):\n"
        "        return HTTP.request(method, url, headers=headers, json=json, timeout=timeout)\n"
        "patch.httpx = Shim\n"
        "c = AuthenticatedClient(base_url='https://bench.commercelayer.io/api', token='t')\n"
        "body = {'data': {'type': 'orders', 'id': 'xYZkjABcde', 'attributes': {'coupon_code': 'SUMMER'}}}\n"
        "assert patch.sync('xYZkjABcde', client=c, json_body=OrderUpdate.from_dict(body)) is not None\n",
        "commercelayer",
    ),
}
_OTHERS = {
    "openai (models.retrieve)": (
        "openai",
        "import httpx2, openai\n"
        "def handle(request):\n"
        "    return httpx2.Response(200, json={'id': 'm', 'object': 'model', 'created': 0, 'owned_by': 'b'})\n"
        "c = openai.OpenAI(api_key='sk-b', http_client=httpx2.Client(transport=httpx2.MockTransport(handle)))\n"
        "c.models.retrieve('m')\n",
    ),
    "stripe (v1.customers.update)": (
        "stripe",
        "import stripe\n"
        "from stripe._http_client import HTTPClient\n"
        "class Canned(HTTPClient):\n"
        "    name = 'canned'\n"
        "    def request(self, method, url, headers, post_data=None):\n"
        '        return b\'{"id": "cus_1", "object": "customer", "email": "x@example.com"}\', 200, {}\n'
        "c = stripe.StripeClient('sk_test_b', http_client=Canned())\n"
        "c.v1.customers.update('cus_1', {'email': 'x@example.com'})\n",
    ),
}


def first_call_table(options: Options, workdir: Path) -> Table:
    runs = options.pick(9, 2)
    snippets: dict[str, str] = {}
    for label, (call, vendor) in _CALLS.items():
        if label.startswith("generated") and not importable(GENERATED_CL):
            skip("first call of the generated commercelayer 3.0.4", "not installed; see benchmarks/setup_benchvenv.sh")
            continue
        body = workdir / f"{vendor}.json"
        body.write_bytes(payload(vendor).body)
        token_path = {"commercelayer": "/oauth/token", "spree": "/spree_oauth/token"}.get(vendor, "/-")
        content_type = "application/vnd.api+json" if vendor in ("commercelayer", "spree") else "application/json"
        mock = _MOCK.format(body=str(body), token=token_body(), token_path=token_path, content_type=content_type)
        snippets[label] = _HEAD + mock + call + _TAIL
    for label, (module, call) in _OTHERS.items():
        if importable(module):
            snippets[label] = _HEAD + call + _TAIL
        else:
            skip(f"first call of {module}", f"{module} is not installed; see benchmarks/setup_benchvenv.sh")
    ms: dict[str, float] = {}
    for label, code in snippets.items():
        run(code)  # warm the bytecode caches
        ms[label] = median([float(run(code)[1].split()[-1]) for _ in range(runs)])
    table = Table(
        "time to the first completed call (fresh interpreter: import + client + one call over a mock transport)",
        ["client", "ms", "x raw httpx"],
    )
    floor = ms["raw httpx + json (floor)"]
    for label, value in ms.items():
        table.add(label, f"{value:.1f}", ratio(value, floor))
    table.notes.append("openai answers over httpx2.MockTransport; stripe through a canned stripe HTTPClient")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(__doc__, argv)
    header("bench_import", options)
    tables = []
    table, _ = import_rows(options)
    table.print()
    tables.append(table)
    lazy = lazy_table()
    lazy.print()
    tables.append(lazy)
    with tempfile.TemporaryDirectory(prefix="orderpatch-bench-") as tmp:
        first = first_call_table(options, Path(tmp))
    first.print()
    tables.append(first)
    save(options, "bench_import", tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())

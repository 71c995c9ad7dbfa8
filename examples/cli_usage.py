"""The ``orderpatch`` command: update an order from a shell, configured by environment variables.

This script starts the local sandbox, points the command at it with ``ORDERPATCH_*`` variables
and runs it the way you would in a terminal::

    export ORDERPATCH_VENDOR=spree
    export ORDERPATCH_SPREE_BASE_URL=https://shop.example.com
    export ORDERPATCH_SPREE_CLIENT_ID=...  ORDERPATCH_SPREE_CLIENT_SECRET=...
    orderpatch update R123456789 --set email=ada@example.com --set metadata.source=crm --output table

Exit codes: 0 success, 2 usage or configuration error, 3 validation error, 4 API error,
5 transport error. Needs ``pip install 'orderpatch[sandbox]'``.
"""

from __future__ import annotations

import os
import subprocess
import sys

from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox


def run(args: list[str], env: dict[str, str]) -> int:
    print(f"$ orderpatch {' '.join(args)}")
    result = subprocess.run([sys.executable, "-m", "orderpatch", *args], env=env, capture_output=True, text=True)
    print((result.stdout + result.stderr).rstrip())
    print(f"(exit code {result.returncode})\n")
    return result.returncode


def main() -> None:
    with Sandbox() as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERPATCH_")}
        env["ORDERPATCH_VENDOR"] = "spree"
        env.update({f"ORDERPATCH_SPREE_{key.upper()}": str(value) for key, value in sandbox.settings("spree").items()})
        order = DEMO_ORDER_IDS["spree"]
        codes = [
            run(
                [
                    "update",
                    order,
                    "--set",
                    "email=ada@example.com",
                    "--set",
                    "metadata.source=crm",
                    "--output",
                    "table",
                ],
                env,
            ),
            run(["update", order, "--set", "email=not-an-email"], env),
            run(["update", "R000000000", "--set", "email=ada@example.com"], env),
            run(["update", order, "--set", "colour=blue"], env),
        ]
    assert codes[0] == 0, codes
    assert all(code != 0 for code in codes[1:]), codes


if __name__ == "__main__":
    main()

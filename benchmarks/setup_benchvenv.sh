#!/usr/bin/env bash
# A virtualenv with orderpatch and the packages the benchmarks compare it with.
#
#   bash benchmarks/setup_benchvenv.sh [VENV]        (default: ../benchvenv beside the repository)
#
# `pip install -e '.[bench]'` cannot resolve: commercelayer==3.0.4 (the generated client) pins
# httpx<0.24 while orderpatch needs httpx>=0.27. So the extra's other packages are installed
# normally and commercelayer goes in with --no-deps on the same httpx as orderpatch (its PATCH
# module only calls httpx.request / httpx.AsyncClient, which httpx 0.28 still has), so both
# clients run on one httpx and the ratios compare clients, not httpx versions. httpx2 goes in
# too (openai 3.x needs it anyway), so bench_http_packages.py can time both floors; with both
# installed orderpatch runs on httpx2 unless ORDERPATCH_HTTP=httpx (docs/http.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${1:-"$ROOT/../benchvenv"}
PY=${PYTHON:-python3}

"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e "$ROOT[sandbox,httpx2]" "pydantic>=2" openai stripe pyinstrument
"$VENV/bin/python" -m pip install -q --no-deps "commercelayer==3.0.4" "python-dateutil>=2.8"
"$VENV/bin/python" -m pip list --format=freeze 2>/dev/null \
  | grep -iE '^(orderpatch|httpx|httpx2|pydantic|openai|stripe|commercelayer|starlette|uvicorn|attrs|cattrs)=' || true
echo "run: for b in benchmarks/bench_*.py; do $VENV/bin/python \$b; done"

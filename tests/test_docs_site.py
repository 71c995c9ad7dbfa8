"""The docs as a reader sees them: the Markdown sources, and the built site (HTML) where it matters.

Every finding of a look at the site in a browser is pinned here: doctest lines render as code,
private bases are not listed, inherited public methods (Commerce Layer's triggers) are shown, no
stray reST ``::``, no visible backslash in table cells, a header on the home table, Python
samples that compile (no top-level ``await``), and a page listing the sandbox's seeded orders.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import orderpatch.errors

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def blocks(lang: str) -> list[tuple[Path, str]]:
    found = []
    for page in PAGES:
        for match in FENCE.finditer(page.read_text(encoding="utf-8")):
            if match["lang"] == lang:
                found.append((page, textwrap.dedent(match["body"])))
    return found


@pytest.mark.parametrize(("page", "code"), blocks("python"), ids=lambda value: getattr(value, "name", ""))
def test_python_samples_compile(page: Path, code: str) -> None:
    """A ``python`` block is a program: no top-level ``await`` (put it in a coroutine), no doctest prompts."""
    compile(code, str(page), "exec")
    assert ">>>" not in code, f"{page.name}: doctest lines belong in a pycon block"


def test_table_cells_show_no_backslash() -> None:
    """``str \\| None`` inside backticks shows its backslash: table cells use ``<code>…&#124;…</code>``."""
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("|"):
                assert "\\|" not in line, f"{page.name}:{number}: {line.strip()[:80]}"


def test_the_home_table_has_a_header() -> None:
    lines = (DOCS / "index.md").read_text(encoding="utf-8").splitlines()
    headers = [lines[i - 1] for i, line in enumerate(lines) if re.fullmatch(r"\|(-+\|)+", line.strip())]
    assert headers
    assert all(cell.strip() for header in headers for cell in header.strip().strip("|").split("|"))


def test_the_quickstart_imports_only_what_it_uses() -> None:
    for page, code in blocks("python"):
        for name in re.findall(r"^from orderpatch import (.+)$", code, re.M):
            for imported in (part.strip() for part in name.split(",")):
                assert re.search(rf"\b{imported}\b", code.split("\n", 1)[1] if "\n" in code else ""), (
                    f"{page.name}: imports {imported} and never uses it")


def test_the_spree_sample_uses_no_magic_state_id() -> None:
    assert "state_id=516" not in (DOCS / "vendors" / "spree.md").read_text(encoding="utf-8")


def test_the_errors_module_docstring_has_no_rest_literal_marker() -> None:
    assert "::" not in (orderpatch.errors.__doc__ or "").replace("```", "")


def test_a_page_lists_every_seeded_sandbox_order() -> None:
    pytest.importorskip("starlette")
    from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox
    from orderpatch.sandbox._app import core_of

    page = (DOCS / "sandbox.md").read_text(encoding="utf-8")
    assert "sandbox.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    core = core_of(Sandbox().app)
    for name, vendor in core.vendors.items():
        for order_id, order in vendor.orders.items():  # type: ignore[attr-defined]
            number = order.get("number")
            shown = {"spree": number, "spree_admin": order.get("id")}.get(name, order_id)
            assert f"`{shown}`" in page, f"{name} order {shown} is not listed in docs/sandbox.md"
    for demo_vendor, order_id in DEMO_ORDER_IDS.items():
        assert re.search(rf"\| {demo_vendor} \| `{order_id}` \(demo", page), demo_vendor


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("mkdocs") is None and not (Path(sys.executable).parent / "mkdocs").exists():
        pytest.skip("mkdocs is not installed (the docs extra)")
    target = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(target)], cwd=ROOT,
                          capture_output=True, text=True, timeout=240, env={"NO_MKDOCS_2_WARNING": "1",
                                                                           "PATH": str(mkdocs.parent)})
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def test_the_reference_renders_doctests_as_code_and_hides_private_bases(site: Path) -> None:
    for page in ("reference/core/index.html", "reference/vendors/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "<blockquote>" not in html, f"{page}: a doctest rendered as a blockquote"
        assert "doctest: +SKIP" not in html
        bases = re.findall(r'<p class="doc doc-class-bases">(.*?)</p>', html, re.S)
        assert bases
        assert not [b for b in bases if re.search(r'title="[^"]*\._[A-Za-z]', b) and ">_" in b], page
        assert "Bases: <code>_" not in html


def test_the_reference_shows_inherited_public_methods(site: Path) -> None:
    html = (site / "reference" / "vendors" / "index.html").read_text(encoding="utf-8")
    for trigger in ("place", "approve", "cancel", "capture", "refund"):
        assert f'id="orderpatch.commercelayer.Orders.{trigger}"' in html
    assert 'id="orderpatch.spree.Order.to_dict"' in html  # from ResponseModel


def test_wide_code_blocks_wrap(site: Path) -> None:
    css = (site / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert "pre-wrap" in css
    assert "stylesheets/extra.css" in (site / "index.html").read_text(encoding="utf-8")

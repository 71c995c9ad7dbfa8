"""Fixtures for the sandbox tests: one loopback sandbox per session, reset before every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orderpatch.sandbox import Sandbox
from tests.sandbox.sandbox_support import (
    CommerceLayerApi,
    LicenseSpringApi,
    SpreeApi,
    TrunkeryApi,
    cl_token,
    spree_token,
)


@pytest.fixture(scope="session")
def running_sandbox() -> Iterator[Sandbox]:
    """A sandbox on a free loopback port for the whole session (started once: it is cheap but not free)."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(running_sandbox: Sandbox) -> Iterator[Sandbox]:
    """The session sandbox with fresh seeds and an empty log; knobs put back afterwards."""
    knobs = running_sandbox.knobs
    running_sandbox.reset()
    yield running_sandbox
    running_sandbox.set_knobs(knobs)


@pytest.fixture(scope="session")
def session_tokens(running_sandbox: Sandbox) -> dict[str, str]:
    """Tokens fetched once; a reset keeps issued tokens valid."""
    return {"commercelayer": cl_token(running_sandbox), "spree": spree_token(running_sandbox)}


@pytest.fixture
def cl(sandbox: Sandbox, session_tokens: dict[str, str]) -> Iterator[CommerceLayerApi]:
    api = CommerceLayerApi(sandbox, session_tokens["commercelayer"])
    with api.http:
        yield api


@pytest.fixture
def spree(sandbox: Sandbox, session_tokens: dict[str, str]) -> Iterator[SpreeApi]:
    api = SpreeApi(sandbox, session_tokens["spree"])
    with api.http:
        yield api


@pytest.fixture
def ls(sandbox: Sandbox) -> Iterator[LicenseSpringApi]:
    api = LicenseSpringApi(sandbox)
    with api.http:
        yield api


@pytest.fixture
def trunkery(sandbox: Sandbox) -> Iterator[TrunkeryApi]:
    api = TrunkeryApi(sandbox)
    with api.http:
        yield api

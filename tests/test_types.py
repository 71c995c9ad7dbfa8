"""UNSET, Secret and OpenEnum."""

from __future__ import annotations

import copy
import pickle

import pytest

from orderpatch import UNSET, OpenEnum, Secret


def test_unset_is_falsy_singleton_with_clear_repr() -> None:
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert copy.deepcopy(UNSET) is UNSET
    assert UNSET is not None


def test_secret_hides_its_value_everywhere() -> None:
    secret = Secret("s3cr3t-value")
    assert "s3cr3t" not in repr(secret)
    assert "s3cr3t" not in str(secret)
    assert "s3cr3t" not in f"{secret} {secret!r}"
    assert secret.get_secret_value() == "s3cr3t-value"
    assert Secret.coerce(secret) is secret
    assert Secret.coerce("x") == Secret("x")
    assert Secret("a") != Secret("b")
    assert Secret("a") != "a"
    assert hash(Secret("a")) == hash(Secret("a"))
    assert not Secret("")
    with pytest.raises(TypeError):
        pickle.dumps(secret)


class Colour(OpenEnum):
    RED = "red"
    BLUE = "blue"


def test_open_enum_accepts_unknown_values() -> None:
    assert Colour("red") is Colour.RED
    assert Colour.RED.is_known
    violet = Colour("violet")
    assert str(violet) == "violet"
    assert violet.value == "violet"
    assert violet.name == "VIOLET"
    assert not violet.is_known
    assert Colour("violet") is violet
    assert isinstance(violet, Colour)
    assert str(violet) == "violet"
    with pytest.raises(ValueError):
        Colour(3)  # type: ignore[arg-type]


class Status(OpenEnum):
    OPEN = "open"


def test_open_enum_keeps_a_bounded_number_of_unknown_values() -> None:
    from orderpatch._constants import OPEN_ENUM_CACHE_SIZE

    members = [Status(f"status_{n}") for n in range(5_000)]
    cache = Status.__dict__["_unknown_members_"]
    assert len(cache) == OPEN_ENUM_CACHE_SIZE
    assert list(cache)[-1] == "status_4999"  # the newest are kept, the oldest dropped
    # A dropped value still parses, equal by value to the one seen before, and still open.
    again: str = Status("status_0")
    assert again == members[0]
    assert again == "status_0"
    assert not Status("status_0").is_known
    assert Status("open") is Status.OPEN
    assert len(Status.__dict__["_unknown_members_"]) == OPEN_ENUM_CACHE_SIZE

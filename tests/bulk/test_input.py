"""Bulk input: JSONL and CSV lines become checked items; every bad line is reported with its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from orderpatch import ConfigurationError, OrderChanges, ValidationError
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import InvalidInput, items_from_pairs, read_input
from orderpatch.bulk._input import _csv_object
from orderpatch.licensespring import OrderUpdate

LS = adapter_for("licensespring")
SPREE = adapter_for("spree")


def jsonl(tmp_path: Path, text: str, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_lines_become_vendor_requests(tmp_path: Path) -> None:
    path = jsonl(tmp_path, '{"id": 7, "reference": "ERP-7"}\n\n# a comment\n'
                           '{"id": "8", "native": {"is_test": true}}\n')
    bulk = read_input(path, LS)
    first, second = bulk.items
    assert (first.line, first.order_id, first.request) == (1, "7", OrderUpdate(store_id="ERP-7"))
    assert (second.line, second.order_id, second.request) == (4, "8", OrderUpdate(is_test=True))
    assert bulk.source == str(path)
    assert len(bulk.digest) == 64


def test_digest_follows_the_content_not_the_file(tmp_path: Path) -> None:
    one = read_input(jsonl(tmp_path, '{"id": 7, "reference": "A"}\n', "a.jsonl"), LS)
    same = read_input(jsonl(tmp_path, '{"reference": "A", "id": 7}\n', "b.jsonl"), LS)
    other = read_input(jsonl(tmp_path, '{"id": 7, "reference": "B"}\n', "c.jsonl"), LS)
    assert one.digest == same.digest != other.digest


def test_every_bad_line_is_reported_with_line_and_field(tmp_path: Path) -> None:
    path = jsonl(tmp_path, "\n".join([
        '{"id": 1, "reference": "ok"}',
        '{"id": 2, "emial": "a@b.co"}',           # unknown field
        "not json",                               # malformed
        '{"reference": "x"}',                     # no id
        '{"id": 5, "currency": "EUR"}',           # LicenseSpring cannot take it
        '[1, 2]',                                 # not an object
        '{"id": 1, "reference": "again"}',        # duplicate id
        '{"id": 8}',                              # nothing to change
        '{"id": 9, "native": {"is_test": "yes"}}',  # wrong type, native
        '{"id": true, "reference": "x"}',         # bad id type
        '{"id": 11, "native": {}, "email": "a@b.co"}',
    ]) + "\n")
    with pytest.raises(InvalidInput) as info:
        read_input(path, LS)
    problems = {problem.line: problem for problem in info.value.problems}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert problems[2].field == "OrderChanges.emial"
    assert "did you mean 'email'" in problems[2].message
    assert "not valid JSON" in problems[3].message
    assert problems[4].field == "id"
    assert problems[5].field == "currency"
    assert "already changed on line 1" in problems[7].message
    assert problems[9].field is not None
    assert "is_test" in problems[9].field
    assert "email" in str(problems[11])
    text = str(info.value)
    assert "10 invalid line(s); nothing was sent" in text
    assert "line 2 (OrderChanges.emial)" in text
    assert info.value.field == "OrderChanges.emial"


def test_many_problems_are_summarised(tmp_path: Path) -> None:
    path = jsonl(tmp_path, "".join(f'{{"id": {n}}}\n' for n in range(1, 40)))
    with pytest.raises(InvalidInput, match=r"and 19 more") as info:
        read_input(path, LS)
    assert len(info.value.problems) == 39


def test_empty_input_is_invalid(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no orders"):
        read_input(jsonl(tmp_path, "\n# nothing\n"), LS)


def test_csv_columns_map_like_set(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('id,email,metadata.source,metadata.n\n'
                    'R1,a@b.co,crm,3\n'
                    ',,,\n'
                    'R2,,erp,\n', encoding="utf-8")
    bulk = read_input(path, SPREE)
    first, second = bulk.items
    assert (first.line, first.order_id, second.line, second.order_id) == (2, "R1", 4, "R2")
    request = first.request
    assert request.email == "a@b.co"  # type: ignore[attr-defined]
    assert request.private_metadata == {"source": "crm", "n": 3}  # type: ignore[attr-defined]
    assert second.change == '{"metadata":{"source":"erp"}}'
    tags = read_input("t.csv", adapter_for("trunkery"), text='id,tags\nor_EQzGqWoY,"vip, b2b"\n')
    assert tags.items[0].change == '{"tags":["vip","b2b"]}'
    assert _csv_object({"id": "1", "billing_address.city": "X", " ": "ignored"}) == {
        "id": "1", "billing_address": {"city": "X"}}


def test_csv_problems(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,bad.key,reference\nR1,x,\nR2,,y,extra\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_input(path, SPREE)
    problems = {problem.line: problem for problem in info.value.problems}
    assert problems[2].field == "bad.key"
    assert "more cells" in problems[3].message
    path.write_text("order,email\nR1,a@b.co\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match='no "id" column'):
        read_input(path, SPREE)
    path.write_text('id,email\n"R1,a@b.co\n', encoding="utf-8")
    with pytest.raises(InvalidInput):
        read_input(path, SPREE, input_format="csv")


def test_unreadable_or_wrong_format(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read it"):
        read_input(tmp_path / "missing.jsonl", LS)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_input(binary, LS)
    with pytest.raises(ValidationError, match="csv or jsonl"):
        read_input(binary, LS, input_format="xml")


def test_text_given_instead_of_a_file() -> None:
    bulk = read_input("-", LS, text='{"id": 1, "reference": "r"}\n')
    assert bulk.source == "-"
    assert bulk.items[0].order_id == "1"


def test_python_pairs_are_checked_the_same_way() -> None:
    bulk = items_from_pairs([(7, OrderChanges(reference="A")), ("8", OrderUpdate(is_test=True))], LS)
    assert [item.order_id for item in bulk.items] == ["7", "8"]
    assert bulk.items[0].request == OrderUpdate(store_id="A")
    with pytest.raises(InvalidInput) as info:
        items_from_pairs([(7, OrderChanges(currency="EUR")), (7, OrderChanges(reference="A")),
                          ("", OrderChanges(reference="B")), (9, "nope")], LS)
    assert [problem.line for problem in info.value.problems] == [1, 3, 4]
    with pytest.raises(ConfigurationError):  # another vendor's request class is a configuration mistake
        items_from_pairs([(7, adapter_for("spree").translate(OrderChanges(email="a@b.co")))], LS)

"""Bulk input at its edges: the exact problems reported (line, field, text), id limits, CSV cells and
columns, the canonical change and the input's hash. Nothing here may reach a request.

These pin the behaviour a mutation run of ``orderpatch/bulk/_input.py`` changes (mutation/config.toml).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from orderpatch import ConfigurationError, OrderChanges, ValidationError
from orderpatch._constants import BULK_MAX_PROBLEMS_SHOWN, MAX_ID_LENGTH
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkInput, InputProblem, InvalidInput, items_from_pairs, read_input
from orderpatch.bulk._input import _csv_object
from orderpatch.licensespring import OrderUpdate

LS = adapter_for("licensespring")
SPREE = adapter_for("spree")


def problems_of(text: str, source: str = "in.jsonl", adapter: object = LS,
                **kwargs: str) -> list[tuple[int, str | None, str]]:
    with pytest.raises(InvalidInput) as info:
        read_input(source, adapter, text=text, **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{source}: {len(info.value.problems)} invalid line(s); nothing was sent\n")
    return [(p.line, p.field, p.message) for p in info.value.problems]


def one(text: str, source: str = "in.jsonl", adapter: object = LS) -> BulkInput:
    return read_input(source, adapter, text=text)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------- the error


def test_an_input_problem_reads_as_line_field_message() -> None:
    assert str(InputProblem(line=3, field="email", message="bad")) == "line 3 (email): bad"
    assert str(InputProblem(line=3, field=None, message="bad")) == "line 3: bad"
    assert str(InputProblem(line=3, field="", message="bad")) == "line 3: bad"


def test_invalid_input_lists_the_first_problems_and_counts_the_rest() -> None:
    problems = [InputProblem(line=n, field=f"f{n}", message=f"m{n}") for n in range(1, BULK_MAX_PROBLEMS_SHOWN + 2)]
    shown = "\n".join(f"  line {n} (f{n}): m{n}" for n in range(1, BULK_MAX_PROBLEMS_SHOWN + 1))
    error = InvalidInput("in.jsonl", problems)
    assert str(error) == (f"in.jsonl: {BULK_MAX_PROBLEMS_SHOWN + 1} invalid line(s); nothing was sent\n{shown}"
                          "\n  … and 1 more")
    assert error.field == "f1"
    assert error.problems == tuple(problems)
    exact = InvalidInput("in.jsonl", iter(problems[:BULK_MAX_PROBLEMS_SHOWN]))  # any iterable, read once
    assert str(exact) == f"in.jsonl: {BULK_MAX_PROBLEMS_SHOWN} invalid line(s); nothing was sent\n{shown}"
    assert len(exact.problems) == BULK_MAX_PROBLEMS_SHOWN
    empty = InvalidInput("x", [])
    assert (str(empty), empty.field) == ("x: 0 invalid line(s); nothing was sent\n", None)
    assert isinstance(empty, ValidationError)


# ---------------------------------------------------------------------------------------- ids


def test_order_ids_are_trimmed_text_up_to_the_limit() -> None:
    bulk = one(f'{{"id": " 7 ", "reference": "a"}}\n{{"id": 8, "reference": "b"}}\n'
               f'{{"id": "{"x" * MAX_ID_LENGTH}", "reference": "c"}}\n')
    assert [item.order_id for item in bulk.items] == ["7", "8", "x" * MAX_ID_LENGTH]
    limit = f"expected a non-empty order id of at most {MAX_ID_LENGTH} characters"
    assert problems_of(f'{{"id": "{"x" * (MAX_ID_LENGTH + 1)}", "reference": "c"}}\n'
                       '{"id": "  ", "reference": "c"}\n'
                       '{"id": 1.5, "reference": "c"}\n'
                       '{"id": false, "reference": "c"}\n'
                       '{"id": null, "reference": "c"}\n'
                       '{"reference": "c"}\n') == [
        (1, "id", limit),
        (2, "id", limit),
        (3, "id", "expected the order id as a string or an integer, got float"),
        (4, "id", "expected the order id as a string or an integer, got bool"),
        (5, "id", "expected the order id as a string or an integer, got NoneType"),
        (6, "id", 'missing the order id (an "id" key or column)'),
    ]


def test_an_order_given_twice_names_the_first_line() -> None:
    assert problems_of('{"id": 4, "reference": "a"}\n\n{"id": "4", "reference": "b"}\n'
                       '{"id": " 4", "reference": "c"}\n') == [
        (3, "id", "order 4 is already changed on line 1; give each order once"),
        (4, "id", "order 4 is already changed on line 1; give each order once"),
    ]


# ---------------------------------------------------------------------------------------- JSONL lines


def test_jsonl_lines_are_numbered_as_in_the_file() -> None:
    bulk = one('\n   \n  # a comment, indented\n{"id": 1, "reference": "a"}\n'
               '  {"id": 2, "reference": "b"}  \n#{"id": 3, "reference": "c"}\n')
    assert [(item.line, item.order_id) for item in bulk.items] == [(4, "1"), (5, "2")]
    assert bulk.source == "in.jsonl"


def test_bad_jsonl_lines_say_what_they_are() -> None:
    assert problems_of('{"id": 1, "reference": "a"\n[1]\n"text"\n3\n') == [
        (1, None, "not valid JSON (Expecting ',' delimiter at column 27)"),
        (2, None, "expected a JSON object, got list"),
        (3, None, "expected a JSON object, got str"),
        (4, None, "expected a JSON object, got int"),
    ]


def test_native_takes_the_whole_change_and_something_must_change() -> None:
    assert problems_of('{"id": 1, "native": {}, "reference": "a", "email": "a@b.co"}\n{"id": 2}\n') == [
        (1, "email", "\"native\" takes the whole change; remove ['email', 'reference']"),
        (2, "id", 'nothing to change: give at least one field besides "id"'),
    ]
    bulk = one('{"id": 1, "native": {"is_test": true}}\n')
    assert bulk.items[0].request == OrderUpdate(is_test=True)
    assert bulk.items[0].change == '{"native":{"is_test":true}}'


def test_the_change_is_canonical_json() -> None:
    first = one('{"reference": "Zürich", "id": 1, "metadata": {"b": 1, "a": "é"}}\n').items[0]
    assert first.change == '{"metadata":{"a":"é","b":1},"reference":"Zürich"}'  # sorted, compact, text as is
    same = one('{"id": 1, "metadata": {"a": "é", "b": 1},   "reference": "Zürich"}\n').items[0]
    assert same.change == first.change


# ---------------------------------------------------------------------------------------- the hash


def _expected_digest(vendor: str, pairs: list[tuple[str, str]]) -> str:
    sha = hashlib.sha256(vendor.encode())
    for order_id, change in pairs:
        sha.update(b"\n" + order_id.encode() + b"\t" + change.encode())
    return sha.hexdigest()


def test_the_digest_covers_the_vendor_every_id_and_every_change() -> None:
    text = '{"id": 1, "reference": "a"}\n{"id": 2, "reference": "b"}\n'
    bulk = one(text)
    assert bulk.digest == _expected_digest("licensespring", [("1", '{"reference":"a"}'), ("2", '{"reference":"b"}')])
    spree = one('{"id": 1, "email": "a@b.co"}\n', adapter=SPREE)
    assert spree.digest == _expected_digest("spree", [("1", '{"email":"a@b.co"}')])
    pairs = items_from_pairs([(1, OrderChanges(reference="a"))], LS)
    assert pairs.digest == _expected_digest("licensespring", [("1", '{"changes":{"store_id":"a"}}')])


# ---------------------------------------------------------------------------------------- files


def test_the_format_follows_the_suffix_in_any_case_unless_given(tmp_path: Path) -> None:
    upper = tmp_path / "IN.CSV"
    upper.write_text("id,reference\n1,a\n", encoding="utf-8")
    assert read_input(upper, LS).items[0].change == '{"reference":"a"}'
    as_jsonl = tmp_path / "lines.csv"
    as_jsonl.write_text('{"id": 1, "reference": "a"}\n', encoding="utf-8")
    assert read_input(as_jsonl, LS, input_format="jsonl").items[0].order_id == "1"
    as_csv = tmp_path / "table.txt"
    as_csv.write_text("id,reference\n1,a\n", encoding="utf-8")
    assert read_input(as_csv, LS, input_format="csv").items[0].order_id == "1"
    with pytest.raises(ValidationError) as info:
        read_input(as_csv, LS, input_format="CSV")
    assert (str(info.value), info.value.field) == ("input format: expected csv or jsonl, got 'CSV'", "format")


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid,reference\n1,a\n".encode())
    assert read_input(path, LS).items[0].order_id == "1"


def test_unreadable_files_name_the_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(ValidationError) as info:
        read_input(missing, LS)
    assert (str(info.value), info.value.field) == (f"{missing}: cannot read it (No such file or directory)", "input")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b'{"id": 1, "reference": "\xff"}\n')
    with pytest.raises(ValidationError) as info:
        read_input(binary, LS)
    assert (str(info.value), info.value.field) == (f"{binary}: not UTF-8 text", "input")


# ---------------------------------------------------------------------------------------- CSV


def test_csv_cells_become_fields() -> None:
    assert _csv_object({"id": "R1", " email ": "a@b.co", "tags": " vip, ,b2b ,", "reference": " as is "}) == {
        "id": "R1", "email": "a@b.co", "tags": ["vip", "b2b"], "reference": " as is "}
    assert _csv_object({"metadata.n": "3", "metadata.s": "crm", "metadata.o": '{"a": [1]}', "metadata.a.b": "x",
                        "billing_address.zipcode": "12345", "shipping_address.city": "Ulm"}) == {
        "metadata": {"n": 3, "s": "crm", "o": {"a": [1]}, "a.b": "x"},  # the first dot splits
        "billing_address": {"zipcode": "12345"},  # address fields stay text, even when they would parse
        "shipping_address": {"city": "Ulm"},
    }
    assert _csv_object({"id": "R1", "email": "", "reference": None, "": "x", None: "y"}) == {  # type: ignore[dict-item]
        "id": "R1"}


@pytest.mark.parametrize("column", ["notes.x", "metadata.", "billing_address.", "email.x"])
def test_only_three_columns_take_a_dotted_name(column: str) -> None:
    with pytest.raises(ValidationError) as info:
        _csv_object({"id": "R1", column: "v"})
    assert str(info.value) == (f"column {column!r}: only metadata.KEY, billing_address.FIELD and "
                               "shipping_address.FIELD take a dotted name")
    assert info.value.field == column


def test_a_csv_cell_keeps_its_line_breaks_as_written() -> None:
    bulk = one('id,reference\r\n1,"a\r\nb"\r\n2,"c\nd"\r\n', source="in.csv")
    assert [item.change for item in bulk.items] == ['{"reference":"a\\r\\nb"}', '{"reference":"c\\nd"}']
    assert [item.line for item in bulk.items] == [3, 5]  # a row is numbered by the line it ends on


def test_csv_rows_are_numbered_by_their_line_and_blank_ones_skipped() -> None:
    bulk = one('id,reference\n1,a\n,\n  ,  \n"2","b"\n', source="in.csv")
    assert [(item.line, item.order_id) for item in bulk.items] == [(2, "1"), (5, "2")]
    spaced = one(" id ,reference\n3,c\n", source="in.csv")
    assert spaced.items[0].order_id == "3"


def test_csv_problems_are_exact() -> None:
    assert problems_of("id,reference\n1,a,extra\n2,b\n2,c\n", source="in.csv") == [
        (2, None, "more cells than the 2 columns of the header"),
        (4, "id", "order 2 is already changed on line 3; give each order once"),
    ]
    assert problems_of("order,reference\n1,a\n", source="in.csv") == [
        (1, "id", 'the header row has no "id" column')]
    assert problems_of("", source="in.csv") == [(1, "id", 'the header row has no "id" column')]
    too_long = "x" * 140_000  # over the csv module's field limit
    ((line, field, message),) = problems_of(f"id,reference\n1,a\n2,{too_long}\n", source="in.csv")
    assert (line, field) == (3, None)  # the line of the cell (the reader had counted only the lines before it)
    assert message.startswith("not valid CSV (field larger than field limit")


def test_an_input_without_orders_is_invalid() -> None:
    assert problems_of("# only a comment\n") == [(0, None, "no orders in the input")]
    assert problems_of("id,reference\n,\n", source="in.csv") == [(0, None, "no orders in the input")]


# ---------------------------------------------------------------------------------------- pairs


def test_pairs_are_numbered_from_one_and_tagged_by_kind() -> None:
    pairs: list[tuple[str | int, object]] = [(" 7 ", OrderChanges(reference="A")), (8, OrderUpdate(is_test=True))]
    bulk = items_from_pairs(iter(pairs), LS)
    assert bulk.source == "items"
    first, second = bulk.items
    assert (first.line, first.order_id, first.change) == (1, "7", '{"changes":{"store_id":"A"}}')
    assert (second.line, second.order_id, second.change) == (2, "8", '{"native":{"is_test":true}}')


def test_bad_pairs_are_all_reported() -> None:
    with pytest.raises(InvalidInput) as info:
        items_from_pairs([(7, OrderChanges(reference="A")), (7, OrderChanges(reference="B")),
                          (8,), 9, (True, OrderChanges(reference="C"))], LS)  # type: ignore[list-item]
    problems = [(p.line, p.field, p.message) for p in info.value.problems]
    assert problems[0] == (2, "id", "order 7 is already changed by item 1")
    assert [(line, field) for line, field, _ in problems[1:]] == [(3, None), (4, None), (5, "id")]
    assert "not enough values to unpack" in problems[1][2]
    assert "cannot unpack non-iterable int" in problems[2][2]
    assert str(info.value).startswith("items: 4 invalid line(s); nothing was sent\n  line 2 (id): ")


def test_a_configuration_mistake_in_pairs_is_raised_as_is() -> None:
    spree_request = SPREE.translate(OrderChanges(email="a@b.co"))
    with pytest.raises(ConfigurationError):
        items_from_pairs([(1, OrderChanges(reference="x")), (2, spree_request)], LS)


def test_no_pairs_make_an_empty_input() -> None:
    bulk = items_from_pairs([], LS)
    assert (bulk.items, bulk.source) == ((), "items")
    assert bulk.digest == hashlib.sha256(b"licensespring").hexdigest()


def test_each_item_keeps_the_neutral_change_it_was_mapped_from() -> None:
    bulk = one('{"id": 1, "reference": "a"}\n{"id": 2, "native": {"is_test": true}}\n')
    first, second = bulk.items
    assert first.changes == OrderChanges(reference="a")
    assert second.changes is None  # a vendor's own request has no neutral change
    pairs: list[tuple[str | int, object]] = [(3, OrderChanges(reference="b")), (4, OrderUpdate(is_test=True))]
    third, fourth = items_from_pairs(pairs, LS).items
    assert third.changes == OrderChanges(reference="b")
    assert fourth.changes is None

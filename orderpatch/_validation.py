"""Checks of caller input that run before any request is built: ids and request models.

Request models call :func:`check_model` from ``__attrs_post_init__``, so a wrong type fails
at the line that built the object, with a message naming the field and what was expected.
The per-class checks are compiled once from the type hints and cached.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, Union, cast

import attrs

from ._constants import MAX_ID_LENGTH, MAX_INT, MAX_JSON_DEPTH, MAX_STRING_LENGTH, MIN_INT, VALUE_PREVIEW_LIMIT
from ._types import UNSET, Secret, is_json_type
from .errors import ValidationError

if TYPE_CHECKING:
    from ._http import httpx

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:~@+-]*")


def preview(value: object) -> str:
    """A short description of a value for an error message: its type and a truncated repr."""
    text = repr(value)
    if len(text) > VALUE_PREVIEW_LIMIT:
        text = text[:VALUE_PREVIEW_LIMIT] + "…"
    return f"{type(value).__name__} {text}"


def check_id(value: object, *, field: str = "order_id") -> str:
    """Return ``value`` as a path-safe id string, or raise ``ValidationError``.

    Accepts a positive ``int`` or a non-empty string of letters, digits and ``. _ : ~ @ + -``
    that does not start with punctuation, so ``../x``, ``a/b``, ``?``, ``#``, ``%2F``,
    whitespace and control characters can never reach a URL path.
    """
    expected = (
        f"a positive integer or a string of at most {MAX_ID_LENGTH} letters, digits, '.', '_', ':', '~', '@', '+', '-'"
    )
    if isinstance(value, bool):
        raise ValidationError(f"{field}: expected {expected}, got {preview(value)}", field=field, expected=expected)
    if isinstance(value, int):
        if 0 < value <= MAX_INT:
            return str(value)
        raise ValidationError(f"{field}: expected {expected}, got {value}", field=field, expected=expected)
    if not isinstance(value, str):
        raise ValidationError(f"{field}: expected {expected}, got {preview(value)}", field=field, expected=expected)
    if not value:
        raise ValidationError(f"{field}: must not be empty; expected {expected}", field=field, expected=expected)
    if len(value) > MAX_ID_LENGTH or _SAFE_ID.fullmatch(value) is None or ".." in value:
        raise ValidationError(
            f"{field}: {preview(value)} is not a safe id; expected {expected}", field=field, expected=expected
        )
    return value


_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def mask_userinfo(text: str) -> str:
    """``text`` with a URL's ``user:password@`` shown as ``***@``, for error messages."""
    return _USERINFO.sub(r"\1***@", text)


def parse_base_url(text: str, *, example: str = "https://shop.example.com") -> httpx.URL:
    """``text`` as a vendor base URL, or ``ValueError`` saying what is wrong (never quoting a password).

    An absolute http(s) URL with a valid host name or IP address, a port in 1-65535, no user
    name or password, no query and no fragment.
    """
    from ._http import httpx  # only where a URL is checked: `import orderpatch` and Config stay light

    shown = mask_userinfo(text)
    try:
        url = httpx.URL(text)
        port = url.port
        host_name = url.host  # IDNA-decoded here, so a bad A-label (`xn--a`) is reported like any bad URL
    except (httpx.InvalidURL, ValueError) as exc:
        raise ValueError(f"{shown!r} is not a valid URL" + (f" ({exc})" if shown == text else "")) from None
    if url.userinfo or shown != text:
        raise ValueError("must not contain a user name or password; give credentials as their own settings")
    if url.scheme not in ("http", "https") or not host_name:
        raise ValueError(f"expected an absolute http(s) URL such as {example}, got {shown!r}")
    if url.query or url.fragment:
        raise ValueError(f"must not contain a query or fragment, got {shown!r}")
    host = url.raw_host.decode("ascii", "replace")
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not _is_ip_address(host) and (
        len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) and _a_label_decodes(label) for label in labels)
    ):
        raise ValueError(f"{host_name!r} is not a valid host name, in {shown!r}")
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"port {port} is out of range (1-65535), in {shown!r}")
    return url


def _a_label_decodes(label: str) -> bool:
    """An IDNA A-label (``xn--…``) must decode, whichever HTTP package parsed the URL (httpx
    refuses ``xn--a`` itself, httpx2 keeps it), so the same host is refused on both."""
    if label[:4].lower() != "xn--":
        return True
    try:
        label.encode("ascii").decode("idna")
    except UnicodeError:
        return False
    return True


def _is_ip_address(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True



def name_list(value: object, *, field: str, dotted: bool, name: re.Pattern[str], what: str,
              max_depth: int | None = None) -> list[str]:
    """``include``/``expand``/``fields``-style names (a comma-separated string or a list), each a
    ``name`` (dotted paths of at most ``max_depth`` steps when ``dotted``), or ValidationError."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Sequence) or isinstance(items, bytes):
        raise ValidationError(f"{field}: expected a string or a list of strings, got {preview(value)}",
                              field=field, expected="str or list of str")
    names: list[str] = []
    for item in items:
        text = item.strip() if isinstance(item, str) else item
        parts = text.split(".") if isinstance(text, str) and dotted else [text]
        if not all(isinstance(p, str) and name.fullmatch(p) for p in parts) or (
            max_depth is not None and len(parts) > max_depth
        ):
            raise ValidationError(f"{field}: expected {what}, got {preview(item)}", field=field, expected=what)
        names.append(str(text))
    return names

def unknown_field(owner: str, name: str, known: Sequence[str]) -> ValidationError:
    """A ``ValidationError`` for an unknown field name, with a did-you-mean suggestion."""
    import difflib  # only on this error path

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ValidationError(
        f"{owner}: unknown field {name!r}{hint} (known: {', '.join(known)})",
        field=f"{owner}.{name}",
        expected=", ".join(known),
    )


# ---------------------------------------------------------------------------------------------
# Request model checks, compiled once per class from its type hints.

_Check = Callable[[object], "str | None"]  # returns None when fine, else what was expected


def _check_str(value: object) -> str | None:
    if not isinstance(value, str):
        return "str"
    if len(value) > MAX_STRING_LENGTH:
        return f"str of at most {MAX_STRING_LENGTH} characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "str encodable as UTF-8 (no lone surrogates)"
    return None


def _check_secret(value: object) -> str | None:
    if not isinstance(value, Secret):
        return "str | Secret"
    return _check_str(value.get_secret_value()) and "str | Secret (UTF-8, at most 65536 characters)"


def _check_int(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "int"
    if not MIN_INT <= value <= MAX_INT:
        return "int within the signed 64-bit range"
    return None


def _check_float(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "float"
    if isinstance(value, float) and not math.isfinite(value):
        return "finite float"
    return None


def _check_decimal(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        return "Decimal or int"
    if isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
        return "Decimal, or int within the signed 64-bit range"
    if isinstance(value, Decimal) and not value.is_finite():
        return "finite Decimal"
    return None


def _check_bool(value: object) -> str | None:
    return None if isinstance(value, bool) else "bool"


def _check_datetime(value: object) -> str | None:
    if not isinstance(value, dt.datetime):
        return "datetime"
    return None if value.tzinfo is not None else "timezone-aware datetime"


def _check_json(value: object, depth: int = 0) -> str | None:
    if depth > MAX_JSON_DEPTH:
        return f"JSON value nested at most {MAX_JSON_DEPTH} levels"
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _check_int(value) and "JSON value (integers within the signed 64-bit range)"
    if isinstance(value, float):
        return _check_float(value) and "JSON value (finite numbers only)"
    if isinstance(value, str):
        return _check_str(value) and "JSON value (UTF-8 strings)"
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return "JSON object with string keys"
            problem = _check_json(item, depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, (list, tuple)):
        for item in value:
            problem = _check_json(item, depth + 1)
            if problem:
                return problem
        return None
    return "JSON value (None, bool, int, float, str, list or mapping)"


def _describe(tp: object) -> str:
    if tp is type(None):
        return "None"
    if tp is Ellipsis:  # tuple[str, ...]
        return "..."
    if typing.get_origin(tp) is Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp) if a is not UNSET) or "UNSET"
    if is_json_type(tp):
        return "JSON value"
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return " | ".join(_describe(a) for a in args if typing.get_args(a) != (UNSET,))
    if origin is not None:
        name = getattr(origin, "__name__", str(origin))
        return f"{name}[{', '.join(_describe(a) for a in args)}]" if args else name
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _compile(tp: Any) -> _Check:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _compile(args[0])
    if is_json_type(tp):
        return _check_json
    if origin in (Union, types.UnionType):
        checks = [_compile(a) for a in args]
        names = _describe(tp)

        plain = [check(_NOTHING) for check in checks]  # what each member says of a foreign value

        def check_union(value: object) -> str | None:
            # A member whose basic type matched but whose content did not explains best.
            detailed = None
            for check, basic in zip(checks, plain, strict=False):
                problem = check(value)
                if problem is None:
                    return None
                if detailed is None and problem != basic:
                    detailed = problem
            return detailed or names

        return check_union
    if origin is Literal:
        allowed = tuple(args)
        expected = " | ".join(repr(a) for a in allowed if a is not UNSET) or "UNSET"
        return lambda value: (
            None if any(value is a or (type(value) is type(a) and value == a) for a in allowed) else expected
        )
    if tp is type(None):
        return lambda value: None if value is None else "None"
    if tp is Any or tp is object:
        return lambda value: None
    if tp is str:
        return _check_str
    if tp is bool:
        return _check_bool
    if tp is int:
        return _check_int
    if tp is float:
        return _check_float
    if tp is Decimal:
        return _check_decimal
    if tp is Secret:
        return _check_secret
    if tp is dt.datetime:
        return _check_datetime
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = {m.value for m in tp}
        name = tp.__name__

        def check_enum(value: object) -> str | None:
            if isinstance(value, tp):
                return None
            if isinstance(value, str) and value in values:
                return None
            return f"{name} (one of {sorted(map(str, values))})"

        return check_enum
    if origin in (list, tuple, Sequence, typing.Sequence) or tp in (list, tuple):
        item_check = _compile(args[0]) if args else (lambda value: None)
        item_name = _describe(args[0]) if args else "item"
        basic = _describe(tp)

        def check_seq(value: object) -> str | None:
            if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
                return basic
            for item in value:
                problem = item_check(item)
                if problem:
                    return f"list of {item_name} (an item: {problem})"
            return None

        return check_seq
    if origin in (dict, Mapping, typing.Mapping) or tp in (dict,):
        value_check = _compile(args[1]) if len(args) == 2 else _check_json
        basic_map = _describe(tp)

        def check_map(value: object) -> str | None:
            if not isinstance(value, Mapping):
                return basic_map
            for key, item in value.items():
                if not isinstance(key, str):
                    return "mapping with str keys"
                problem = value_check(item)
                if problem:
                    return f"mapping whose values are {problem} (at key {key!r})"
            return None

        return check_map
    if isinstance(tp, type):
        return lambda value: None if isinstance(value, tp) else tp.__name__
    raise TypeError(f"orderpatch cannot check annotations of the form {tp!r}")  # pragma: no cover


_NOTHING = object()
_COMPILED: dict[type, tuple[tuple[str, _Check, bool], ...]] = {}


def _checks_for(cls: type) -> tuple[tuple[str, _Check, bool], ...]:
    checks = _COMPILED.get(cls)
    if checks is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        compiled = [(f.name, _compile(hints[f.name])) for f in attrs.fields(cls)]
        # Whether the field accepts UNSET: most fields of an update are left UNSET, and skipping
        # their (union) checks is most of the cost of building a request model.
        checks = tuple((name, check, check(UNSET) is None) for name, check in compiled)
        _COMPILED[cls] = checks
    return checks


#: The first failing field of an instance, per class: ``(name, problem, value)`` or ``None``.
_FirstProblem: TypeAlias = Callable[[object], "tuple[str, str, object] | None"]
_CHECKERS: dict[type, _FirstProblem] = {}


def _checker_for(cls: type) -> _FirstProblem:
    """``_checks_for(cls)`` as one generated function: fields read as attributes, ``UNSET`` skipped inline.

    The same checks in the same order as a loop over them; the loop's ``getattr`` and tuple
    unpacking per field were most of the cost of building a request model of forty fields.
    """
    checker = _CHECKERS.get(cls)
    if checker is None:
        namespace: dict[str, object] = {"UNSET": UNSET}
        lines = ["def first_problem(obj):"]
        for index, (name, check, unset_ok) in enumerate(_checks_for(cls)):
            namespace[f"c{index}"] = check
            indent = "    "
            lines.append(f"    v = obj.{name}")
            if unset_ok:
                lines.append("    if v is not UNSET:")
                indent = "        "
            lines += [f"{indent}p = c{index}(v)", f"{indent}if p is not None:", f"{indent}    return ({name!r}, p, v)"]
        lines.append("    return None")
        exec(compile("\n".join(lines), f"<orderpatch checks {cls.__module__}.{cls.__qualname__}>", "exec"), namespace)
        checker = _CHECKERS[cls] = cast(_FirstProblem, namespace["first_problem"])
    return checker


def check_model(obj: object) -> None:
    """Raise ``ValidationError`` for the first field of ``obj`` whose value fails its type."""
    cls = type(obj)
    found = _checker_for(cls)(obj)
    if found is not None:
        name, problem, value = found
        where = f"{cls.__name__}.{name}"
        raise ValidationError(f"{where}: expected {problem}, got {preview(value)}", field=where, expected=problem)

"""``Config``: which vendor the facade talks to, and that vendor's client settings.

A configuration is built from a mapping, from environment variables, or from a TOML file, and
environment variables override the file::

    # orderpatch.toml                      # environment (wins over the file)
    [orderpatch]                           # ORDERPATCH_VENDOR=spree
    vendor = "spree"                       # ORDERPATCH_SPREE_BASE_URL=https://shop.example.com
    [orderpatch.spree]                     # ORDERPATCH_SPREE_CLIENT_SECRET=...
    base_url = "https://shop.example.com"
    client_id = "abc"
    client_secret_env = "SPREE_SECRET"     # a secret may name the variable that holds it

Every mistake is a ``ConfigurationError`` whose message starts with the exact key (the variable
name, the dotted TOML key or the mapping key) and says what was expected; ``key`` holds that
key. Nothing here imports a vendor package, so a configuration is cheap to build and check.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import os
import re
import tomllib
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final, Literal, TypeAlias, cast, overload

import attrs

from ._ratelimit import RateLimiter
from ._ratelimit_redis import redact_redis_url
from ._types import Secret
from ._validation import check_id, parse_base_url
from .errors import ConfigurationError, ValidationError

__all__ = ["ENV_CONFIG", "ENV_VENDOR", "VENDORS", "Config", "SettingInput", "SettingValue", "setting_names"]

#: The vendors the facade knows, by the name used in configuration.
VENDORS: Final = ("commercelayer", "licensespring", "spree", "trunkery", "spree_admin")
#: Names the configured vendor.
ENV_VENDOR: Final = "ORDERPATCH_VENDOR"
#: Names a TOML file that ``Config.load()`` reads when no path is given.
ENV_CONFIG: Final = "ORDERPATCH_CONFIG"
_ENV_PREFIX: Final = "ORDERPATCH_"
#: A secret in a file or mapping may be given as ``<name>_env = "VARIABLE"`` instead of its value.
_ENV_SUFFIX: Final = "_env"

#: A resolved setting: text, a ``Secret``, or a number (``timeout``, ``max_retries``, ``deadline``).
SettingValue: TypeAlias = str | Secret | int | float
#: What a caller may pass for a setting (numbers may also come as text, as from the environment).
SettingInput: TypeAlias = str | Secret | int | float

_Kind = Literal["url", "secret", "text", "slug", "id", "seconds", "retries"]
_COMMON: Final[Mapping[str, _Kind]] = {"timeout": "seconds", "max_retries": "retries", "deadline": "seconds"}


@attrs.frozen
class _Schema:
    """The settings of one vendor: their kinds, and which must be present together."""

    kinds: Mapping[str, _Kind]
    #: Each is (what, alternatives): one alternative (a set of settings) must be complete.
    needs: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    #: Groups of settings that exclude each other: settings of at most one group may be given.
    exclusive: tuple[tuple[tuple[str, ...], ...], ...] = ()


# The names are the vendor clients' constructor parameters (a test checks them against the code).
_SCHEMAS: Final[Mapping[str, _Schema]] = {
    "licensespring": _Schema(
        {"api_key": "secret", "base_url": "url", **_COMMON},
        needs=(("the LicenseSpring management API key", (("api_key",),)),),
    ),
    "commercelayer": _Schema(
        {"organization": "slug", "base_url": "url", "access_token": "secret", "client_id": "text",
         "client_secret": "secret", "scope": "text", "auth_url": "url", **_COMMON},
        needs=(
            ("the organization slug or the API base URL", (("organization",), ("base_url",))),
            ("a credential", (("access_token",), ("client_id",))),
        ),
        exclusive=((("organization",), ("base_url",)), (("access_token",), ("client_id", "client_secret", "scope"))),
    ),
    "spree": _Schema(
        {"base_url": "url", "access_token": "secret", "client_id": "text", "client_secret": "secret",
         "token_url": "url", "scope": "text", **_COMMON},
        needs=(
            ("the store's base URL", (("base_url",),)),
            ("a credential", (("access_token",), ("client_id", "client_secret"))),
        ),
        exclusive=((("access_token",), ("client_id", "client_secret", "token_url", "scope")),),
    ),
    # Spree Admin API v3 (Spree 5.5+): a secret key of the store; ORDERPATCH_SPREE_ADMIN_*.
    "spree_admin": _Schema(
        {"base_url": "url", "api_key": "secret", **_COMMON},
        needs=(("the store's base URL", (("base_url",),)), ("a secret API key 'sk_…'", (("api_key",),))),
    ),
    # shop_id may be left out when the token is an API key: the client reads its shop_id claim.
    "trunkery": _Schema(
        {"token": "secret", "shop_id": "id", "base_url": "url", **_COMMON},
        needs=(("the API token (a JWT)", (("token",),)),),
    ),
}
#: Vendors longest name first, so that ``ORDERPATCH_SPREE_ADMIN_…`` is matched to spree_admin, not spree.
_BY_LONGEST_NAME: Final = sorted(_SCHEMAS.items(), key=lambda item: -len(item[0]))


def setting_names(vendor: str) -> tuple[str, ...]:
    """The settings a vendor takes, in a stable order (``ConfigurationError`` for an unknown vendor)."""
    return tuple(_schema(vendor, key="vendor", where="vendor").kinds)


def env_var(vendor: str, setting: str) -> str:
    """The environment variable of one setting: ``ORDERPATCH_SPREE_CLIENT_SECRET``."""
    return f"{_ENV_PREFIX}{vendor.upper()}_{setting.upper()}"


# ---------------------------------------------------------------------------------------------
# Raw values with their origin, so that every error names the exact key it came from.


@attrs.frozen
class _EnvRef:
    """``<name>_env = "VAR"``: the value is read from ``VAR`` when the vendor is selected."""

    variable: str


@attrs.frozen
class _Raw:
    value: object
    key: str  # the key as the user wrote it: ORDERPATCH_SPREE_TIMEOUT, orderpatch.spree.timeout, timeout
    where: str  # the key and where it was written, for messages

    def fail(self, problem: str) -> ConfigurationError:
        return ConfigurationError(f"{self.where}: {problem}", key=self.key)


@attrs.define
class _Layer:
    vendor: _Raw | None = None
    settings: dict[str, dict[str, _Raw]] = attrs.field(factory=dict)
    #: The shared rate budget's settings (``rate_limit_url`` …): beside ``vendor``, for every vendor.
    budget: dict[str, _Raw] = attrs.field(factory=dict)

    def put(self, vendor: str, name: str, raw: _Raw) -> None:
        table = self.settings.setdefault(vendor, {})
        if name in table:
            raise raw.fail(f"{name} is given twice ({table[name].key} and {raw.key}); keep one")
        table[name] = raw


def _suggest(name: str, candidates: Iterator[str] | tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _schema(vendor: str, *, key: str, where: str) -> _Schema:
    schema = _SCHEMAS.get(vendor)
    if schema is None:
        raise ConfigurationError(
            f"{where}: unknown vendor {vendor!r}{_suggest(vendor, VENDORS)} (known vendors: {', '.join(VENDORS)})",
            key=key,
        )
    return schema


def _vendor_table(layer: _Layer, vendor: str, table: Mapping[str, object], *, dotted: str, suffix: str) -> None:
    """Read one vendor's settings from a mapping or a TOML sub-table into ``layer``."""
    kinds = _schema(vendor, key=dotted or "vendor", where=(dotted or "vendor") + suffix).kinds
    secrets = [name for name, kind in kinds.items() if kind == "secret"]
    for name, value in table.items():
        key = f"{dotted}.{name}" if dotted else str(name)
        raw = _Raw(value, key, key + suffix)
        if name in kinds:
            layer.put(vendor, name, raw)
        elif name.endswith(_ENV_SUFFIX) and name[: -len(_ENV_SUFFIX)] in kinds:
            base = name[: -len(_ENV_SUFFIX)]
            if base not in secrets:
                raise raw.fail(
                    f"only secret settings ({', '.join(secrets)}) may name an environment variable; "
                    f"give {base} itself"
                )
            if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
                raise raw.fail("expected the name of an environment variable, such as \"SPREE_CLIENT_SECRET\"")
            layer.put(vendor, base, _Raw(_EnvRef(value), key, key + suffix))
        else:
            candidates = [*kinds, *(s + _ENV_SUFFIX for s in secrets)]
            raise raw.fail(
                f"unknown {vendor} setting {name!r}{_suggest(str(name), candidates)} "
                f"(known: {', '.join(kinds)})"
            )


def _layer_from_mapping(data: Mapping[str, object], *, dotted: str, suffix: str, flat: bool) -> _Layer:
    """A layer from ``{"vendor": …, "<vendor>": {…}}``; with ``flat``, settings may sit beside ``vendor``."""
    layer = _Layer()
    prefix = f"{dotted}." if dotted else ""
    vendor_value = data.get("vendor")
    if "vendor" in data:
        layer.vendor = _Raw(vendor_value, f"{prefix}vendor", f"{prefix}vendor{suffix}")
    loose: dict[str, object] = {}
    for name, value in cast(Mapping[object, object], data).items():  # keys from a caller may be anything
        if not isinstance(name, str):
            where = dotted or "config"
            raise ConfigurationError(f"{where}{suffix}: keys must be strings, got {name!r}", key=where)
        if name == "vendor":
            continue
        if name in _BUDGET_KEYS:
            layer.budget[name] = _Raw(value, f"{prefix}{name}", f"{prefix}{name}{suffix}")
            continue
        if isinstance(value, Mapping):
            if name not in _SCHEMAS:
                raise ConfigurationError(
                    f"{prefix}{name}{suffix}: unknown vendor table {name!r}{_suggest(name, VENDORS)} "
                    f"(known vendors: {', '.join(VENDORS)})",
                    key=f"{prefix}{name}",
                )
            _vendor_table(layer, name, value, dotted=f"{prefix}{name}", suffix=suffix)
        elif flat:
            loose[name] = value
        else:
            where = f"{prefix}{name}{suffix}"
            raise ConfigurationError(
                f"{where}: settings belong in a vendor table such as [{prefix}spree]; "
                f"only 'vendor' may sit at this level{_suggest(name, ['vendor'])}",
                key=f"{prefix}{name}",
            )
    if loose:
        if not isinstance(vendor_value, str):
            first = next(iter(loose))
            raise ConfigurationError(
                f"{first}: a setting given beside 'vendor' needs 'vendor' to name the vendor it belongs to",
                key=first,
            )
        _vendor_table(layer, vendor_value.strip().lower(), loose, dotted="", suffix=suffix)
    return layer


#: Read elsewhere: ORDERPATCH_LOG by the logging setup, ORDERPATCH_HTTP by the HTTP seam.
_OTHER_ENV: Final = ("VENDOR", "CONFIG", "LOG", "HTTP", "RATE_LIMIT_URL", "RATE_LIMIT_ACCOUNT")
#: Settings of the shared rate budget, beside ``vendor`` (env ``ORDERPATCH_RATE_LIMIT_URL`` …).
_BUDGET_KEYS: Final = ("rate_limit_url", "rate_limit_account")


def _check_stray_env(name: str) -> None:
    """An ``ORDERPATCH_*`` variable of no vendor: refused when it looks like a misspelling of one.

    Other names (an application's own ``ORDERPATCH_ORDER_ID``) are left alone.
    """
    rest = name[len(_ENV_PREFIX) :]
    if rest in _OTHER_ENV:
        return
    head, _, tail = rest.partition("_")
    vendor = difflib.get_close_matches(head.lower(), list(_SCHEMAS), n=1, cutoff=0.75)
    if vendor and tail:
        meant = env_var(vendor[0], tail)
    else:
        other = difflib.get_close_matches(rest, _OTHER_ENV, n=1, cutoff=0.8)
        if not other:
            return
        meant = _ENV_PREFIX + other[0]
    raise ConfigurationError(f"{name}: unknown setting; did you mean {meant!r}?", key=name)


def _layer_from_env(env: Mapping[str, str]) -> _Layer:
    """A layer from ``ORDERPATCH_VENDOR`` and ``ORDERPATCH_<VENDOR>_<SETTING>``; empty variables are unset."""
    layer = _Layer()
    for name, value in sorted(env.items()):
        if not value or not name.startswith(_ENV_PREFIX):
            continue
        if name == ENV_VENDOR:
            layer.vendor = _Raw(value.strip(), name, name)
            continue
        if name[len(_ENV_PREFIX) :].lower() in _BUDGET_KEYS:
            layer.budget[name[len(_ENV_PREFIX) :].lower()] = _Raw(value, name, name)
            continue
        for vendor, schema in _BY_LONGEST_NAME:  # ORDERPATCH_SPREE_ADMIN_… is spree_admin's, not spree's
            head = f"{_ENV_PREFIX}{vendor.upper()}_"
            if name.startswith(head):
                setting = name[len(head) :].lower()
                if setting not in schema.kinds:
                    known = [env_var(vendor, s) for s in schema.kinds]
                    raise ConfigurationError(
                        f"{name}: unknown {vendor} setting{_suggest(name, known)} (known: {', '.join(known)})",
                        key=name,
                    )
                layer.put(vendor, setting, _Raw(value, name, name))
                break
        else:
            _check_stray_env(name)
    return layer


# ---------------------------------------------------------------------------------------------
# Checking one value by its kind.

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.I)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _text(raw: _Raw, what: str, *, secret: bool = False) -> str:
    value = raw.value
    if isinstance(value, Secret):
        value = value.get_secret_value()
    if not isinstance(value, str):
        shown = type(value).__name__ if secret else f"{type(value).__name__} {value!r}"[:80]
        raise raw.fail(f"expected {what} as a string, got {shown}")
    value = value.strip()
    if not value:
        raise raw.fail(f"expected {what}, got an empty string")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise raw.fail(f"expected {what}; the value contains control characters")
    return value


def _url(raw: _Raw) -> str:
    text = _text(raw, "an absolute http(s) URL")
    try:
        url = parse_base_url(text)
    except ValueError as exc:
        raise raw.fail(str(exc)) from None
    if url.scheme == "http" and not _is_loopback(url.host):
        raise raw.fail(
            f"plain http:// is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost), got {text!r}; use https://"
        )
    return text


def _number(raw: _Raw, *, integer: bool) -> int | float:
    value = raw.value
    what = "an int from 0 to 10" if integer else "a positive number of seconds"
    if isinstance(value, str):
        try:
            value = int(value.strip()) if integer else float(value.strip())
        except ValueError:
            raise raw.fail(f"expected {what}, got {raw.value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise raw.fail(f"expected {what}, got {type(value).__name__} {value!r}")
    if integer:
        if not isinstance(value, int) or not 0 <= value <= 10:
            raise raw.fail(f"expected {what}, got {value!r}")
        return value
    if not math.isfinite(value) or value <= 0:
        raise raw.fail(f"expected {what}, got {value!r}")
    return float(value)


def _parse(kind: _Kind, raw: _Raw) -> SettingValue:
    if kind == "secret":
        return Secret(_text(raw, "a credential", secret=True))
    if kind == "url":
        return _url(raw)
    if kind == "slug":
        text = _text(raw, "an organization slug")
        if not _SLUG.fullmatch(text):
            raise raw.fail(f"expected an organization slug of letters, digits and '-' (e.g. 'my-org'), got {text!r}")
        return text
    if kind == "id":
        text = _text(raw, "one id")
        try:
            return check_id(text, field=raw.key)
        except ValidationError:
            raise raw.fail(f"expected one id such as 'sh_EQzGqWoY' (no commas or spaces), got {text!r}") from None
    if kind == "text":
        return _text(raw, "a non-empty value")
    return _number(raw, integer=kind == "retries")


def _resolve(raw: _Raw, env: Mapping[str, str]) -> _Raw:
    if not isinstance(raw.value, _EnvRef):
        return raw
    variable = raw.value.variable
    value = env.get(variable, "")
    if not value.strip():
        raise raw.fail(f"names the environment variable {variable}, which is not set or empty")
    return _Raw(value, raw.key, f"{raw.where} (from ${variable})")


def _build(layers: tuple[_Layer, ...], env: Mapping[str, str]) -> tuple[str, dict[str, SettingValue]]:
    vendor_raw: _Raw | None = None
    merged: dict[str, dict[str, _Raw]] = {}
    for layer in layers:  # later layers override earlier ones
        vendor_raw = layer.vendor or vendor_raw
        for vendor, table in layer.settings.items():
            merged.setdefault(vendor, {}).update(table)
    if vendor_raw is None:
        raise ConfigurationError(
            f"vendor: not configured; set {ENV_VENDOR} or vendor = \"…\" in the [orderpatch] table "
            f"(one of {', '.join(VENDORS)})",
            key="vendor",
        )
    vendor = _text(vendor_raw, f"a vendor name (one of {', '.join(VENDORS)})").lower()
    schema = _schema(vendor, key=vendor_raw.key, where=vendor_raw.where)
    settings: dict[str, SettingValue] = {}
    raws = merged.get(vendor, {})
    for name, raw in raws.items():
        settings[name] = _parse(schema.kinds[name], _resolve(raw, env))
    for groups in schema.exclusive:
        present = [[name for name in group if name in settings] for group in groups]
        conflicting = [names for names in present if names]
        if len(conflicting) > 1:
            first, second = conflicting[0][0], conflicting[1][0]
            options = " or ".join("/".join(group) for group in groups)
            raise raws[second].fail(f"give {options}, not both ({first} and {second} are set)")
    for what, alternatives in schema.needs:
        if any(all(name in settings for name in alternative) for alternative in alternatives):
            continue
        partial = next((alt for alt in alternatives if any(name in settings for name in alt)), None)
        if partial is not None:
            missing = next(name for name in partial if name not in settings)
            given = " and ".join(name for name in partial if name in settings)
            raise ConfigurationError(
                f"{vendor}.{missing}: missing; {given} is set, so {missing} is needed too "
                f"(set {missing} in [orderpatch.{vendor}] or {env_var(vendor, missing)})",
                key=f"{vendor}.{missing}",
            )
        settable = " or ".join(" and ".join(alt) for alt in alternatives)
        variables = " or ".join(" and ".join(env_var(vendor, n) for n in alt) for alt in alternatives)
        first = alternatives[0][0]
        raise ConfigurationError(
            f"{vendor}.{first}: missing {what}; set {settable} in [orderpatch.{vendor}], or {variables}",
            key=f"{vendor}.{first}",
        )
    ordered = {name: settings[name] for name in schema.kinds if name in settings}
    return vendor, ordered


def _as_limiter(value: object) -> RateLimiter | None:
    if value is None or isinstance(value, RateLimiter):
        return value
    raise ConfigurationError(
        f"rate_limiter: expected an orderpatch.RateLimiter (acquire, aacquire, observe), got {type(value).__name__}",
        key="rate_limiter",
    )


def _build_budget(layers: tuple[_Layer, ...]) -> dict[str, str | Secret]:
    """``rate_limit_url`` (a ``Secret``: it may hold a password) and ``rate_limit_account``, checked."""
    raws: dict[str, _Raw] = {}
    for layer in layers:  # later layers override earlier ones
        raws.update(layer.budget)
    budget: dict[str, str | Secret] = {}
    if "rate_limit_url" in raws:
        raw = raws["rate_limit_url"]
        text = _text(raw, "a redis:// URL", secret=True)
        if not text.startswith(_REDIS_SCHEMES):
            shown = redact_redis_url(text)[:80]
            schemes = ", ".join(_REDIS_SCHEMES)
            raise raw.fail(f"expected a {schemes} URL such as redis://localhost:6379/0, got {shown!r}")
        budget["rate_limit_url"] = Secret(text)
    if "rate_limit_account" in raws:
        budget["rate_limit_account"] = _text(raws["rate_limit_account"], "a name for the vendor account")
    return budget


_REDIS_SCHEMES: Final = ("redis://", "rediss://", "unix://")

# ---------------------------------------------------------------------------------------------


class Config:
    """The facade's configuration: a vendor name and that vendor's client settings.

    Immutable and hashable (the facade keeps one connection pool per configuration); secrets
    are held as ``Secret`` and never appear in ``repr``.

    >>> Config("licensespring", api_key="...")                  # doctest: +SKIP
    Config(vendor='licensespring', api_key=Secret('***'))
    """

    __slots__ = ("_budget", "_hash", "_rate_limiter", "_settings", "_vendor")

    _vendor: str
    _settings: Mapping[str, SettingValue]
    _budget: Mapping[str, str | Secret]
    _rate_limiter: RateLimiter | None
    _hash: int

    # Two signatures, so that ``Config(vendor, **dict_of_str)`` still type-checks: a plain
    # ``rate_limiter: RateLimiter | None`` keyword beside ``**settings`` would make mypy check every
    # unpacked value against it too.
    @overload
    def __init__(self, vendor: str, /, **settings: SettingInput) -> None: ...

    @overload
    def __init__(self, vendor: str, /, *, rate_limiter: RateLimiter | None, **settings: SettingInput) -> None: ...

    def __init__(self, vendor: str, /, *, rate_limiter: RateLimiter | SettingInput | None = None,
                 **settings: SettingInput) -> None:
        """Check and hold ``vendor``'s ``settings`` (the keyword names of that vendor's client).

        ``rate_limit_url``/``rate_limit_account`` may be given here too, and ``rate_limiter``: a
        budget object (any ``RateLimiter``) for every client this configuration opens, as
        ``with_rate_limiter()`` gives one.
        """
        data: dict[str, object] = {"vendor": vendor, **settings}
        layers = (_layer_from_mapping(data, dotted="", suffix="", flat=True),)
        self._set(*_build(layers, os.environ), _build_budget(layers), _as_limiter(rate_limiter))

    def _set(self, vendor: str, settings: dict[str, SettingValue], budget: dict[str, str | Secret],
             rate_limiter: RateLimiter | None = None) -> None:
        object.__setattr__(self, "_vendor", vendor)
        object.__setattr__(self, "_settings", types.MappingProxyType(settings))
        object.__setattr__(self, "_budget", types.MappingProxyType(budget))
        object.__setattr__(self, "_rate_limiter", rate_limiter)
        identity = (vendor, frozenset(settings.items()), frozenset(budget.items()), id(rate_limiter))
        object.__setattr__(self, "_hash", hash(identity))

    @classmethod
    def _from_layers(cls, layers: tuple[_Layer, ...], env: Mapping[str, str]) -> Config:
        config = object.__new__(cls)
        config._set(*_build(layers, env), _build_budget(layers))
        return config

    def with_rate_limiter(self, rate_limiter: RateLimiter | None) -> Config:
        """This configuration with ``rate_limiter`` as the budget of its clients (``None``: from
        ``rate_limit_url``, or none); the original is unchanged."""
        config = object.__new__(type(self))
        config._set(self._vendor, dict(self._settings), dict(self._budget), _as_limiter(rate_limiter))
        return config

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], *, env: Mapping[str, str] | None = None) -> Config:
        """From ``{"vendor": "spree", "base_url": …}`` or ``{"vendor": "spree", "spree": {…}}``.

        ``<secret>_env`` keys are read from ``env`` (default ``os.environ``); nothing else is.
        """
        if not isinstance(data, Mapping):
            raise ConfigurationError(f"config: expected a mapping, got {type(data).__name__}", key="config")
        layer = _layer_from_mapping(data, dotted="", suffix="", flat=True)
        return cls._from_layers((layer,), os.environ if env is None else env)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """From ``ORDERPATCH_VENDOR`` and ``ORDERPATCH_<VENDOR>_<SETTING>`` (default ``os.environ``)."""
        env = os.environ if env is None else env
        return cls._from_layers((_layer_from_env(env),), env)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, env: Mapping[str, str] | None = None) -> Config:
        """From the ``[orderpatch]`` table of a TOML file, with environment variables overriding it.

        Pass ``env={}`` to read the file alone (``<secret>_env`` references then fail).
        """
        env = os.environ if env is None else env
        file_path = Path(path)
        try:
            document = tomllib.loads(file_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigurationError(f"{file_path}: configuration file not found", key=str(file_path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"{file_path}: cannot read the file ({exc})", key=str(file_path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"{file_path}: not valid TOML ({exc})", key=str(file_path)) from None
        table = document.get("orderpatch")
        if not isinstance(table, dict):
            raise ConfigurationError(
                f"{file_path}: expected an [orderpatch] table{_suggest('orderpatch', list(document))}",
                key="orderpatch",
            )
        layer = _layer_from_mapping(table, dotted="orderpatch", suffix=f" in {file_path}", flat=False)
        return cls._from_layers((layer, _layer_from_env(env)), env)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] | None = None) -> Config:
        """The configuration the facade uses by default: the file ``path`` (or ``$ORDERPATCH_CONFIG``)
        with environment variables overriding it, or the environment alone when there is no file."""
        env = os.environ if env is None else env
        path = path if path is not None else (env.get(ENV_CONFIG) or None)
        return cls.from_env(env) if path is None else cls.from_file(path, env=env)

    @property
    def vendor(self) -> str:
        """The vendor name: ``commercelayer``, ``licensespring``, ``spree`` or ``trunkery``."""
        return self._vendor

    @property
    def settings(self) -> Mapping[str, SettingValue]:
        """The vendor client's settings (a read-only view; secrets as ``Secret``)."""
        return self._settings

    @property
    def rate_limit_url(self) -> Secret | None:
        """The Redis URL of the budget every process shares (``ORDERPATCH_RATE_LIMIT_URL``), or ``None``."""
        url = self._budget.get("rate_limit_url")
        return url if isinstance(url, Secret) else None

    @property
    def rate_limit_account(self) -> str | None:
        """Names the vendor account whose budget several credentials share (``ORDERPATCH_RATE_LIMIT_ACCOUNT``)."""
        account = self._budget.get("rate_limit_account")
        return account if isinstance(account, str) else None

    @property
    def rate_limiter(self) -> RateLimiter | None:
        """The budget object given with ``with_rate_limiter()``, or ``None``."""
        return self._rate_limiter

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Config is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Config):
            return NotImplemented
        return (
            self._vendor == other._vendor
            and dict(self._settings) == dict(other._settings)
            and dict(self._budget) == dict(other._budget)
            and self._rate_limiter is other._rate_limiter
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        shown = "".join(f", {name}={value!r}" for name, value in self._settings.items())
        url = self.rate_limit_url
        if url is not None:
            shown += f", rate_limit_url={redact_redis_url(url.get_secret_value())!r}"
        if self.rate_limit_account is not None:
            shown += f", rate_limit_account={self.rate_limit_account!r}"
        if self._rate_limiter is not None:
            shown += f", rate_limiter={self._rate_limiter!r}"
        return f"Config(vendor={self._vendor!r}{shown})"

    def __reduce__(self) -> str:  # pragma: no cover - defensive: a Secret cannot be pickled either
        raise TypeError("orderpatch.Config cannot be pickled (it holds secrets)")

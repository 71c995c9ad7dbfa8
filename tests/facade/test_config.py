"""``Config``: each source, their precedence, and every ``ConfigurationError`` message."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from orderpatch._config import VENDORS, Config, setting_names
from orderpatch._types import Secret
from orderpatch.errors import ConfigurationError

SECRET = "s3cr3t-value-never-shown"
SPREE_SETTINGS = "base_url, access_token, client_id, client_secret, token_url, scope, timeout, max_retries, deadline"
SPREE = {"vendor": "spree", "base_url": "https://shop.example.com", "client_id": "app", "client_secret": SECRET}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orderpatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(exc_info: pytest.ExceptionInfo[ConfigurationError]) -> tuple[str, str | None]:
    return str(exc_info.value), exc_info.value.key


# -- each source ---------------------------------------------------------------------------------


def test_from_mapping_flat_and_nested_are_the_same() -> None:
    flat = Config.from_mapping(SPREE)
    nested = Config.from_mapping({"vendor": "spree", "spree": {k: v for k, v in SPREE.items() if k != "vendor"}})
    assert flat == nested
    assert hash(flat) == hash(nested)
    assert flat.vendor == "spree"
    assert dict(flat.settings) == {
        "base_url": "https://shop.example.com",
        "client_id": "app",
        "client_secret": Secret(SECRET),
    }
    assert isinstance(flat.settings["client_secret"], Secret)


def test_constructor_takes_keywords_and_parses_numbers() -> None:
    config = Config("licensespring", api_key=SECRET, timeout="2.5", max_retries="0", deadline=30)
    assert dict(config.settings) == {"api_key": Secret(SECRET), "timeout": 2.5, "max_retries": 0, "deadline": 30.0}
    assert Config("Spree", base_url="https://x.example", access_token="t").vendor == "spree"


def test_from_env_reads_vendor_and_its_settings_only() -> None:
    env = {
        "ORDERPATCH_VENDOR": "trunkery",
        "ORDERPATCH_TRUNKERY_TOKEN": SECRET,
        "ORDERPATCH_TRUNKERY_SHOP_ID": "sh_EQzGqWoY",
        "ORDERPATCH_TRUNKERY_TIMEOUT": "7",
        "ORDERPATCH_SPREE_BASE_URL": "https://other.example.com",  # another vendor: kept out
        "ORDERPATCH_LOG": "debug",  # not a vendor setting
        "ORDERPATCH_TRUNKERY_BASE_URL": "",  # empty means unset
    }
    config = Config.from_env(env)
    assert config == Config("trunkery", token=SECRET, shop_id="sh_EQzGqWoY", timeout=7)


def test_from_file_with_secret_from_named_variable(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [orderpatch]
        vendor = "spree"
        [orderpatch.spree]
        base_url = "http://127.0.0.1:8765/spree"
        client_id = "app"
        client_secret_env = "MY_SPREE_SECRET"
        max_retries = 1
        [orderpatch.licensespring]
        api_key_env = "NOT_SET_AND_NOT_NEEDED"
        """,
    )
    config = Config.from_file(path, env={"MY_SPREE_SECRET": SECRET})
    assert dict(config.settings) == {
        "base_url": "http://127.0.0.1:8765/spree",
        "client_id": "app",
        "client_secret": Secret(SECRET),
        "max_retries": 1,
    }


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [orderpatch]
        vendor = "licensespring"
        [orderpatch.licensespring]
        api_key = "from-file"
        [orderpatch.spree]
        base_url = "https://file.example.com"
        access_token = "file-token"
        """,
    )
    assert Config.from_file(path, env={}) == Config("licensespring", api_key="from-file")
    env = {"ORDERPATCH_LICENSESPRING_API_KEY": "from-env"}
    assert Config.from_file(path, env=env) == Config("licensespring", api_key="from-env")
    env = {"ORDERPATCH_VENDOR": "spree", "ORDERPATCH_SPREE_BASE_URL": "https://env.example.com"}
    assert Config.from_file(path, env=env) == Config(
        "spree", base_url="https://env.example.com", access_token="file-token"
    )


def test_load_uses_the_named_file_or_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[orderpatch]\nvendor = "licensespring"\n[orderpatch.licensespring]\napi_key = "k"\n')
    assert Config.load(env={"ORDERPATCH_CONFIG": str(path)}) == Config("licensespring", api_key="k")
    assert Config.load(path, env={}) == Config("licensespring", api_key="k")
    env = {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": "e"}
    assert Config.load(env=env) == Config("licensespring", api_key="e")


def test_repr_never_shows_a_secret() -> None:
    config = Config.from_mapping(SPREE)
    assert SECRET not in repr(config)
    assert SECRET not in str(config)
    assert repr(config) == (
        "Config(vendor='spree', base_url='https://shop.example.com', client_id='app', client_secret=Secret('***'))"
    )


def test_configs_differing_only_by_secret_are_different_keys() -> None:
    other = Config.from_mapping({**SPREE, "client_secret": "another"})
    assert other != Config.from_mapping(SPREE)
    assert len({other, Config.from_mapping(SPREE), Config.from_mapping(SPREE)}) == 2
    assert Config.from_mapping(SPREE) != "spree"
    with pytest.raises(AttributeError, match="immutable"):
        other._vendor = "x"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "[::1]", "localhost", "LOCALHOST"])
def test_plain_http_is_allowed_for_loopback_hosts(host: str) -> None:
    assert Config("licensespring", api_key="k", base_url=f"http://{host}:8765/licensespring").vendor == "licensespring"


@pytest.mark.parametrize("vendor", VENDORS)
def test_setting_names_are_the_vendor_client_parameters(vendor: str) -> None:
    names = {"commercelayer": "CommerceLayerClient", "licensespring": "LicenseSpringClient", "spree": "SpreeClient",
             "trunkery": "TrunkeryClient", "spree_admin": "SpreeAdminClient"}
    client = getattr(importlib.import_module(f"orderpatch.{vendor}"), names[vendor])
    params = set(inspect.signature(client.__init__).parameters) - {"self", "default_headers", "http_client",
                                                                   "rate_limiter"}
    assert set(setting_names(vendor)) == params


# -- every error ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message", "key"),
    [
        (
            {"vendor": "spre"},
            "vendor: unknown vendor 'spre'; did you mean 'spree'? "
            "(known vendors: commercelayer, licensespring, spree, trunkery, spree_admin)",
            "vendor",
        ),
        (
            {"vendor": "spre", "base_url": "https://x.example"},
            "vendor: unknown vendor 'spre'; did you mean 'spree'? "
            "(known vendors: commercelayer, licensespring, spree, trunkery, spree_admin)",
            "vendor",
        ),
        (
            {"vendor": "shopify"},
            "vendor: unknown vendor 'shopify' (known vendors: commercelayer, licensespring, spree, trunkery, "
            "spree_admin)",
            "vendor",
        ),
        (
            {},
            'vendor: not configured; set ORDERPATCH_VENDOR or vendor = "…" in the [orderpatch] table '
            "(one of commercelayer, licensespring, spree, trunkery, spree_admin)",
            "vendor",
        ),
        ({"vendor": 3}, "vendor: expected a vendor name (one of commercelayer, licensespring, spree, trunkery, "
         "spree_admin) as a string, got int 3", "vendor"),
        (
            {"vendor": "licensespring"},
            "licensespring.api_key: missing the LicenseSpring management API key; set api_key in "
            "[orderpatch.licensespring], or ORDERPATCH_LICENSESPRING_API_KEY",
            "licensespring.api_key",
        ),
        (
            {"vendor": "spree", "base_url": "https://shop.example.com"},
            "spree.access_token: missing a credential; set access_token or client_id and client_secret in "
            "[orderpatch.spree], or ORDERPATCH_SPREE_ACCESS_TOKEN or ORDERPATCH_SPREE_CLIENT_ID and "
            "ORDERPATCH_SPREE_CLIENT_SECRET",
            "spree.access_token",
        ),
        (
            {"vendor": "spree", "base_url": "https://shop.example.com", "client_id": "app"},
            "spree.client_secret: missing; client_id is set, so client_secret is needed too "
            "(set client_secret in [orderpatch.spree] or ORDERPATCH_SPREE_CLIENT_SECRET)",
            "spree.client_secret",
        ),
        (
            {"vendor": "spree", "base_urll": "https://shop.example.com"},
            "base_urll: unknown spree setting 'base_urll'; did you mean 'base_url'? "
            f"(known: {SPREE_SETTINGS})",
            "base_urll",
        ),
        (
            {"vendor": "spree", "spree": {"clientsecret": "x"}},
            "spree.clientsecret: unknown spree setting 'clientsecret'; did you mean 'client_secret'? "
            f"(known: {SPREE_SETTINGS})",
            "spree.clientsecret",
        ),
        (
            {"vendor": "spree", "spre": {"base_url": "x"}},
            "spre: unknown vendor table 'spre'; did you mean 'spree'? "
            "(known vendors: commercelayer, licensespring, spree, trunkery, spree_admin)",
            "spre",
        ),
        (
            {"base_url": "https://x"},
            "base_url: a setting given beside 'vendor' needs 'vendor' to name the vendor it belongs to",
            "base_url",
        ),
        (
            {**SPREE, "base_url": "http://shop.example.com"},
            "base_url: plain http:// is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost), "
            "got 'http://shop.example.com'; use https://",
            "base_url",
        ),
        ({**SPREE, "base_url": "shop.example.com"},
         "base_url: expected an absolute http(s) URL such as https://shop.example.com, got 'shop.example.com'",
         "base_url"),
        ({**SPREE, "base_url": "ftp://shop.example.com"},
         "base_url: expected an absolute http(s) URL such as https://shop.example.com, got 'ftp://shop.example.com'",
         "base_url"),
        ({**SPREE, "base_url": "https://shop.example.com/?a=1"},
         "base_url: must not contain a query or fragment, got 'https://shop.example.com/?a=1'", "base_url"),
        ({**SPREE, "base_url": f"https://me:{SECRET}@shop.example.com"},
         "base_url: must not contain a user name or password; give credentials as their own settings", "base_url"),
        ({**SPREE, "base_url": "https://[::1"}, "base_url: 'https://[::1' is not a valid URL (Invalid port: ':1')",
         "base_url"),
        ({**SPREE, "base_url": f"https://me:{SECRET}@shop.example.com:abc"},
         "base_url: 'https://***@shop.example.com:abc' is not a valid URL", "base_url"),
        ({**SPREE, "base_url": "https://exa mple.com"},
         "base_url: 'exa%20mple.com' is not a valid host name, in 'https://exa mple.com'", "base_url"),
        ({**SPREE, "base_url": "https://example..com"},
         "base_url: 'example..com' is not a valid host name, in 'https://example..com'", "base_url"),
        ({**SPREE, "base_url": "https://-bad.example.com"},
         "base_url: '-bad.example.com' is not a valid host name, in 'https://-bad.example.com'", "base_url"),
        ({**SPREE, "base_url": ""}, "base_url: expected an absolute http(s) URL, got an empty string", "base_url"),
        ({**SPREE, "client_secret": 1234}, "client_secret: expected a credential as a string, got int",
         "client_secret"),
        ({**SPREE, "client_secret": "   "}, "client_secret: expected a credential, got an empty string",
         "client_secret"),
        ({**SPREE, "client_id": "a\nb"}, "client_id: expected a non-empty value; the value contains control "
         "characters", "client_id"),
        ({**SPREE, "timeout": "soon"}, "timeout: expected a positive number of seconds, got 'soon'", "timeout"),
        ({**SPREE, "timeout": -1}, "timeout: expected a positive number of seconds, got -1", "timeout"),
        ({**SPREE, "deadline": True}, "deadline: expected a positive number of seconds, got bool True", "deadline"),
        ({**SPREE, "max_retries": 11}, "max_retries: expected an int from 0 to 10, got 11", "max_retries"),
        ({**SPREE, "max_retries": "2.5"}, "max_retries: expected an int from 0 to 10, got '2.5'", "max_retries"),
        (
            {"vendor": "commercelayer", "organization": "acme", "base_url": "https://acme.example", "client_id": "c"},
            "base_url: give organization or base_url, not both (organization and base_url are set)",
            "base_url",
        ),
        (
            {"vendor": "commercelayer", "organization": "acme", "access_token": "t", "client_id": "c"},
            "client_id: give access_token or client_id/client_secret/scope, not both "
            "(access_token and client_id are set)",
            "client_id",
        ),
        (
            {"vendor": "commercelayer", "organization": "acme.evil.com", "client_id": "c"},
            "organization: expected an organization slug of letters, digits and '-' (e.g. 'my-org'), "
            "got 'acme.evil.com'",
            "organization",
        ),
        (
            {"vendor": "commercelayer", "client_id": "c"},
            "commercelayer.organization: missing the organization slug or the API base URL; set organization or "
            "base_url in [orderpatch.commercelayer], or ORDERPATCH_COMMERCELAYER_ORGANIZATION or "
            "ORDERPATCH_COMMERCELAYER_BASE_URL",
            "commercelayer.organization",
        ),
        (
            {"vendor": "trunkery", "shop_id": "sh_EQzGqWoY"},
            "trunkery.token: missing the API token (a JWT); set token in [orderpatch.trunkery], or "
            "ORDERPATCH_TRUNKERY_TOKEN",
            "trunkery.token",
        ),
        (
            {**SPREE, "scope": "admin", "access_token": "t"},
            "client_id: give access_token or client_id/client_secret/token_url/scope, not both "
            "(access_token and client_id are set)",
            "client_id",
        ),
        (
            {"vendor": "spree", "spree": {"base_url_env": "URL"}},
            "spree.base_url_env: only secret settings (access_token, client_secret) may name an environment "
            "variable; give base_url itself",
            "spree.base_url_env",
        ),
        (
            {"vendor": "spree", "spree": {"client_secret_env": "not a name"}},
            'spree.client_secret_env: expected the name of an environment variable, such as "SPREE_CLIENT_SECRET"',
            "spree.client_secret_env",
        ),
        (
            {"vendor": "spree", "base_url": "https://x.example", "client_id": "a", "client_secret_env": "UNSET_VAR"},
            "client_secret_env: names the environment variable UNSET_VAR, which is not set or empty",
            "client_secret_env",
        ),
        (
            {"vendor": "spree", "spree": {"client_secret": "a"}, "client_secret": "b"},
            "client_secret: client_secret is given twice (spree.client_secret and client_secret); keep one",
            "client_secret",
        ),
    ],
)
def test_mapping_errors_name_the_key(data: dict[str, object], message: str, key: str) -> None:
    with pytest.raises(ConfigurationError) as exc_info:
        Config.from_mapping(data, env={})
    assert config_error(exc_info) == (message, key)
    assert SECRET not in message or "user name" in message  # the secret is quoted only where it is absent
    assert SECRET not in str(exc_info.value)


def test_a_mapping_that_is_not_a_mapping() -> None:
    with pytest.raises(ConfigurationError, match="^config: expected a mapping, got list$"):
        Config.from_mapping([])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("env", "message", "key"),
    [
        (
            {"ORDERPATCH_VENDOR": "spree", "ORDERPATCH_SPREE_CLIENT_SECRT": "x"},
            "ORDERPATCH_SPREE_CLIENT_SECRT: unknown spree setting; did you mean 'ORDERPATCH_SPREE_CLIENT_SECRET'? "
            "(known: ORDERPATCH_SPREE_BASE_URL, ORDERPATCH_SPREE_ACCESS_TOKEN, ORDERPATCH_SPREE_CLIENT_ID, "
            "ORDERPATCH_SPREE_CLIENT_SECRET, ORDERPATCH_SPREE_TOKEN_URL, ORDERPATCH_SPREE_SCOPE, "
            "ORDERPATCH_SPREE_TIMEOUT, ORDERPATCH_SPREE_MAX_RETRIES, ORDERPATCH_SPREE_DEADLINE)",
            "ORDERPATCH_SPREE_CLIENT_SECRT",
        ),
        (
            {"ORDERPATCH_VENDOR": "lisencespring"},
            "ORDERPATCH_VENDOR: unknown vendor 'lisencespring'; did you mean 'licensespring'? "
            "(known vendors: commercelayer, licensespring, spree, trunkery, spree_admin)",
            "ORDERPATCH_VENDOR",
        ),
        (
            {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": "k",
             "ORDERPATCH_LICENSESPRING_MAX_RETRIES": "many"},
            "ORDERPATCH_LICENSESPRING_MAX_RETRIES: expected an int from 0 to 10, got 'many'",
            "ORDERPATCH_LICENSESPRING_MAX_RETRIES",
        ),
        (
            {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": "k",
             "ORDERPATCH_LICENSESPRING_BASE_URL": "http://10.0.0.8"},
            "ORDERPATCH_LICENSESPRING_BASE_URL: plain http:// is only allowed for loopback hosts "
            "(127.0.0.0/8, ::1, localhost), got 'http://10.0.0.8'; use https://",
            "ORDERPATCH_LICENSESPRING_BASE_URL",
        ),
        (
            {"ORDERPATCH_VENDOR": "spree", "ORDERPATCH_SPRE_BASE_URL": "https://shop.example.com"},
            "ORDERPATCH_SPRE_BASE_URL: unknown setting; did you mean 'ORDERPATCH_SPREE_BASE_URL'?",
            "ORDERPATCH_SPRE_BASE_URL",
        ),
        (
            {"ORDERPATCH_VENDR": "spree"},
            "ORDERPATCH_VENDR: unknown setting; did you mean 'ORDERPATCH_VENDOR'?",
            "ORDERPATCH_VENDR",
        ),
        (
            {"ORDERPATCH_VENDOR": "trunkery", "ORDERPATCH_TRUNKERY_TOKEN": "t0ken-value",
             "ORDERPATCH_TRUNKERY_SHOP_ID": "sh_a,sh_b"},
            "ORDERPATCH_TRUNKERY_SHOP_ID: expected one id such as 'sh_EQzGqWoY' (no commas or spaces), got 'sh_a,sh_b'",
            "ORDERPATCH_TRUNKERY_SHOP_ID",
        ),
    ],
)
def test_environment_errors_name_the_variable(env: dict[str, str], message: str, key: str) -> None:
    with pytest.raises(ConfigurationError) as exc_info:
        Config.from_env(env)
    assert config_error(exc_info) == (message, key)


@pytest.mark.parametrize(
    ("text", "message", "key"),
    [
        (
            '[orderpatch]\nvendor = "spree"\nbase_url = "https://x"\n',
            "orderpatch.base_url in {path}: settings belong in a vendor table such as [orderpatch.spree]; "
            "only 'vendor' may sit at this level",
            "orderpatch.base_url",
        ),
        (
            '[orderpatch]\nvendr = "spree"\n',
            "orderpatch.vendr in {path}: settings belong in a vendor table such as [orderpatch.spree]; "
            "only 'vendor' may sit at this level; did you mean 'vendor'?",
            "orderpatch.vendr",
        ),
        (
            '[orderpatch]\nvendor = "spree"\n[orderpatch.spree]\nbase_url = "https://x.example"\ntoken = "t"\n',
            "orderpatch.spree.token in {path}: unknown spree setting 'token'; did you mean 'token_url'? "
            f"(known: {SPREE_SETTINGS})",
            "orderpatch.spree.token",
        ),
        (
            '[orderpatch]\nvendor = "spree"\n[orderpatch.sprea]\nbase_url = "https://x.example"\n',
            "orderpatch.sprea in {path}: unknown vendor table 'sprea'; did you mean 'spree'? "
            "(known vendors: commercelayer, licensespring, spree, trunkery, spree_admin)",
            "orderpatch.sprea",
        ),
        (
            '[orderpatch]\nvendor = "spree"\n[orderpatch.spree]\nbase_url = "https://x.example"\nclient_id = "a"\n'
            'client_secret_env = "ABSENT_SECRET_VAR"\n',
            "orderpatch.spree.client_secret_env in {path}: names the environment variable ABSENT_SECRET_VAR, "
            "which is not set or empty",
            "orderpatch.spree.client_secret_env",
        ),
        (
            '[orderpatch]\nvendor = "spree"\n[orderpatch.spree]\nbase_url = "https://x.example"\ntimeout = "x"\n'
            'access_token = "t"\n',
            "orderpatch.spree.timeout in {path}: expected a positive number of seconds, got 'x'",
            "orderpatch.spree.timeout",
        ),
        ('[orderpatc]\nvendor = "spree"\n', "{path}: expected an [orderpatch] table; did you mean 'orderpatc'?",
         "orderpatch"),
        ("[orderpatch\n", "{path}: not valid TOML (Expected ']' at the end of a table declaration (at line 1, "
         "column 12))", "{path}"),
    ],
)
def test_file_errors_name_the_dotted_key_and_the_file(tmp_path: Path, text: str, message: str, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError) as exc_info:
        Config.from_file(path, env={})
    assert config_error(exc_info) == (message.format(path=path), key.format(path=path))


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as exc_info:
        Config.from_file(tmp_path / "absent.toml")
    assert config_error(exc_info) == (f"{tmp_path / 'absent.toml'}: configuration file not found",
                                      str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigurationError, match=r"cannot read the file"):
        Config.from_file(tmp_path)


def test_a_secret_named_by_variable_says_where_it_came_from(tmp_path: Path) -> None:
    path = write(tmp_path, '[orderpatch]\nvendor = "licensespring"\n[orderpatch.licensespring]\n'
                           'api_key_env = "LS_KEY"\nbase_url = "http://example.com"\n')
    with pytest.raises(ConfigurationError) as exc_info:
        Config.from_file(path, env={"LS_KEY": SECRET})
    assert SECRET not in str(exc_info.value)
    assert exc_info.value.key == "orderpatch.licensespring.base_url"


def test_secrets_may_be_given_as_secret_objects_and_keys_must_be_text() -> None:
    assert Config("licensespring", api_key=Secret(SECRET)) == Config("licensespring", api_key=SECRET)
    with pytest.raises(ConfigurationError) as exc_info:
        Config.from_mapping({"vendor": "spree", 1: "x"})  # type: ignore[dict-item]
    assert config_error(exc_info) == ("config: keys must be strings, got 1", "config")


def test_an_application_s_own_orderpatch_variables_are_left_alone() -> None:
    env = {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": "key-0123456789",
           "ORDERPATCH_ORDER_ID": "42", "ORDERPATCH_LOG": "info", "ORDERPATCH_MY_APP_MODE": "x"}
    assert Config.from_env(env).vendor == "licensespring"

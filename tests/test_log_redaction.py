"""Redaction in ``orderpatch._log``: every sensitive query key, every fallback pattern, the log
filter of the HTTP package's loggers (which must redact, never drop), body previews at their
limit, ``ORDERPATCH_LOG``."""

from __future__ import annotations

import datetime
import logging
import warnings
from collections.abc import Iterator

import httpx
import pytest

from orderpatch import _log
from orderpatch._constants import ERROR_BODY_LIMIT, LOG_ENV_VAR, LOGGER_NAME
from orderpatch._http import LOGGERS, PACKAGE

SECRET = "s3cr3t-Value_0123"

SENSITIVE_KEYS = (
    "token",
    "access_token",
    "api_key",
    "apikey",
    "key",
    "secret",
    "client_secret",
    "password",
    "signature",
    "jwt",
    "uuid",
)


# -- redact_url ---------------------------------------------------------------------------------


def test_the_list_of_sensitive_query_keys_is_exactly_the_documented_one() -> None:
    assert frozenset(SENSITIVE_KEYS) == _log._SENSITIVE_QUERY_KEYS


@pytest.mark.parametrize("key", SENSITIVE_KEYS)
def test_each_sensitive_query_value_is_redacted(key: str) -> None:
    url = httpx.URL("https://api.example.com/orders/7", params={"page": "2", key: SECRET})
    assert _log.redact_url(url) == f"https://api.example.com/orders/7?page=2&{key}=%2A%2A%2A"


@pytest.mark.parametrize("key", ["TOKEN", "Api_Key", "UUID", "Client_Secret"])
def test_query_keys_are_matched_case_insensitively(key: str) -> None:
    shown = _log.redact_url(httpx.URL("https://api.example.com/x", params={key: SECRET}))
    assert SECRET not in shown
    assert shown == f"https://api.example.com/x?{key}=%2A%2A%2A"


@pytest.mark.parametrize("key", ["page", "include", "tokens", "keys", "my_token", "passwd"])
def test_other_query_values_are_kept(key: str) -> None:
    url = httpx.URL("https://api.example.com/x", params={key: "visible"})
    assert _log.redact_url(url) == f"https://api.example.com/x?{key}=visible"


def test_a_repeated_key_is_redacted_every_time() -> None:
    url = httpx.URL("https://h.example/x?token=a1b2c3&page=1&token=d4e5f6")
    assert _log.redact_url(url) == "https://h.example/x?token=%2A%2A%2A&token=%2A%2A%2A&page=1"


def test_a_url_without_a_query_is_shown_as_is() -> None:
    assert _log.redact_url(httpx.URL("https://h.example/a/b")) == "https://h.example/a/b"
    assert _log.redact_url(httpx.URL("https://h.example:8443/")) == "https://h.example:8443/"


# -- scrub: known secrets and the fallback patterns ---------------------------------------------


def test_known_secrets_are_replaced_everywhere() -> None:
    assert _log.scrub(f"a {SECRET} b {SECRET}", [SECRET]) == "a *** b ***"


def test_secrets_shorter_than_four_characters_or_empty_are_not_replaced() -> None:
    assert _log.scrub("abc abcd", ["abc"]) == "abc abcd"
    assert _log.scrub("abc abcd", ["abcd"]) == "abc ***"
    assert _log.scrub("text", [""]) == "text"


def test_several_known_secrets_are_all_replaced() -> None:
    assert _log.scrub("one-secret two-secret", ["one-secret", "two-secret"]) == "*** ***"


@pytest.mark.parametrize(
    "key", ["access_token", "refresh_token", "id_token", "client_secret", "api_key", "token", "password"]
)
def test_an_unknown_secret_in_a_json_field_is_redacted(key: str) -> None:
    text = f'{{"{key}": "{SECRET}", "other": "kept"}}'
    assert _log.scrub(text) == f'{{"{key}": "***", "other": "kept"}}'


def test_json_field_names_are_matched_case_insensitively_and_spaces_are_kept() -> None:
    assert _log.scrub(f'{{"Access_Token"  :  "{SECRET}"}}') == '{"Access_Token"  :  "***"}'
    assert _log.scrub('{"token":""}') == '{"token":"***"}'


def test_other_json_fields_are_kept() -> None:
    text = f'{{"name": "{SECRET}", "token_type": "bearer"}}'
    assert _log.scrub(text) == text


@pytest.mark.parametrize("key", ["access_token", "refresh_token", "client_secret", "api_key", "password"])
def test_an_unknown_secret_in_a_form_or_query_is_redacted(key: str) -> None:
    text = f"grant_type=client_credentials&{key}={SECRET}&scope=all"
    assert _log.scrub(text) == f"grant_type=client_credentials&{key}=***&scope=all"


def test_form_values_end_at_whitespace_and_names_are_case_insensitive() -> None:
    assert _log.scrub(f"PASSWORD={SECRET} next") == "PASSWORD=*** next"


@pytest.mark.parametrize("scheme", ["Bearer", "Api-Key", "Basic", "bearer", "API-KEY"])
def test_an_unknown_credential_after_an_auth_scheme_is_redacted(scheme: str) -> None:
    token = "eyJhbGciOi.J9-_~+/x="
    assert _log.scrub(f"Authorization: {scheme} {token} sent") == f"Authorization: {scheme} *** sent"


def test_text_without_secrets_is_unchanged() -> None:
    text = "order 7 is paid; token_type=bearer; Bearer"
    assert _log.scrub(text) == text


# -- body_preview ---------------------------------------------------------------------------------


def test_a_body_of_exactly_the_limit_is_not_truncated() -> None:
    body = b"x" * ERROR_BODY_LIMIT
    assert _log.body_preview(body) == "x" * ERROR_BODY_LIMIT


def test_a_body_one_over_the_limit_is_truncated_and_says_its_size() -> None:
    body = b"x" * (ERROR_BODY_LIMIT + 1)
    assert _log.body_preview(body) == "x" * ERROR_BODY_LIMIT + f"… [truncated, {ERROR_BODY_LIMIT + 1} bytes]"


def test_the_limit_can_be_given_and_the_size_is_the_whole_body() -> None:
    assert _log.body_preview(b"abcdef" * 100, limit=4) == "abcd… [truncated, 600 bytes]"


def test_a_preview_decodes_leniently_and_scrubs() -> None:
    body = f'{{"token": "{SECRET}", "bad": "\xff"}} {SECRET}'.encode("latin-1")
    assert _log.body_preview(body, [SECRET]) == '{"token": "***", "bad": "\ufffd"} ***'


def test_multibyte_text_is_kept_up_to_the_limit_in_characters() -> None:
    body = ("é" * 10).encode("utf-8")  # 20 bytes, 10 characters
    assert _log.body_preview(body, limit=10) == "é" * 10
    assert _log.body_preview(body, limit=3) == "ééé… [truncated, 20 bytes]"


def test_a_secret_is_scrubbed_before_the_preview_is_cut() -> None:
    body = ("a" * 5 + SECRET).encode()
    assert _log.body_preview(body, [SECRET], limit=8) == "aaaaa***"


# -- the httpx log filter redacts and never drops ---------------------------------------------


def _record(msg: str, args: tuple[object, ...]) -> logging.LogRecord:
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_redacts_url_arguments_and_keeps_the_line() -> None:
    url = httpx.URL("https://h.example/o?uuid=" + SECRET + "&page=3")
    record = _record('HTTP Request: %s %s "%s %d %s"', ("POST", url, "HTTP/1.1", 200, "OK"))
    assert _log._Redact().filter(record) is True
    assert record.args == ("POST", "https://h.example/o?uuid=%2A%2A%2A&page=3", "HTTP/1.1", 200, "OK")
    assert SECRET not in record.getMessage()


def test_the_filter_scrubs_secret_shaped_text_in_arguments_and_messages() -> None:
    record = _record("send_request_headers %s %d; Authorization: Bearer " + SECRET, ("api_key=" + SECRET, 7))
    assert _log._Redact().filter(record) is True
    assert record.getMessage() == "send_request_headers api_key=*** 7; Authorization: Bearer ***"
    assert record.args == ("api_key=***", 7)


def test_the_filter_keeps_other_lines_as_they_are() -> None:
    record = _record("%s %s", ("POST", "https://h.example/o?page=2"))
    assert _log._Redact().filter(record) is True
    assert record.getMessage() == "POST https://h.example/o?page=2"
    mapping = _record("%(a)s", ({"a": 1},))
    assert _log._Redact().filter(mapping) is True
    assert mapping.args == {"a": 1}
    empty = _record("no arguments", ())
    assert _log._Redact().filter(empty) is True
    assert (empty.msg, empty.args) == ("no arguments", ())


@pytest.fixture
def fresh_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``configure_from_env`` as in a new process; the loggers are restored afterwards."""
    ours = logging.getLogger(LOGGER_NAME)
    saved = (list(ours.handlers), ours.level, {name: list(logging.getLogger(name).filters) for name in LOGGERS})
    monkeypatch.setattr(_log, "_configured", False)
    yield
    ours.handlers[:] = saved[0]
    ours.setLevel(saved[1])
    for name, filters in saved[2].items():
        logging.getLogger(name).filters[:] = filters


def _added_handlers(before: list[logging.Handler]) -> list[logging.Handler]:
    return [h for h in logging.getLogger(LOGGER_NAME).handlers if h not in before]


@pytest.mark.usefixtures("fresh_logging")
def test_httpx_lines_reach_the_handler_redacted(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(LOG_ENV_VAR, raising=False)
    _log.configure_from_env()
    caplog.set_level(logging.INFO, logger=PACKAGE)
    url = httpx.URL("https://h.example/orders?uuid=" + SECRET)
    with httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(204))) as http:
        http.post(url)
    lines = [r.getMessage() for r in caplog.records if r.name == PACKAGE]
    assert lines == ['HTTP Request: POST https://h.example/orders?uuid=%2A%2A%2A "HTTP/1.1 204 No Content"']


@pytest.mark.usefixtures("fresh_logging")
def test_configure_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LOG_ENV_VAR, "debug")
    before = list(logging.getLogger(LOGGER_NAME).handlers)
    filters = len(logging.getLogger("httpx").filters)
    _log.configure_from_env()
    _log.configure_from_env()
    assert len(_added_handlers(before)) == 1
    assert len(logging.getLogger("httpx").filters) == filters + 1


@pytest.mark.usefixtures("fresh_logging")
@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), (" DEBUG ", logging.DEBUG),
                                              ("info", logging.INFO), ("Info", logging.INFO)])
def test_the_variable_sets_the_level_and_a_stderr_handler(
    monkeypatch: pytest.MonkeyPatch, value: str, level: int
) -> None:
    monkeypatch.setenv(LOG_ENV_VAR, value)
    before = list(logging.getLogger(LOGGER_NAME).handlers)
    _log.configure_from_env()
    (handler,) = _added_handlers(before)
    assert type(handler) is logging.StreamHandler
    assert logging.getLogger(LOGGER_NAME).level == level
    record = logging.LogRecord(LOGGER_NAME, logging.INFO, __file__, 1, "hello %s", ("there",), None)
    text = handler.format(record)
    assert text.endswith("INFO orderpatch] hello there")
    assert text.startswith("[")


@pytest.mark.usefixtures("fresh_logging")
@pytest.mark.parametrize("value", [None, "", "warning", "verbose", "1"])
def test_other_values_add_no_handler_but_still_install_the_filter(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(LOG_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(LOG_ENV_VAR, value)
    before = list(logging.getLogger(LOGGER_NAME).handlers)
    level = logging.getLogger(LOGGER_NAME).level
    if value in ("warning", "verbose", "1"):  # unknown values say so (tests/test_log.py)
        with pytest.warns(UserWarning, match="is not a level orderpatch knows"):
            _log.configure_from_env()
    else:
        _log.configure_from_env()
    assert _added_handlers(before) == []
    assert logging.getLogger(LOGGER_NAME).level == level
    for name in LOGGERS:
        assert any(isinstance(f, _log._Redact) for f in logging.getLogger(name).filters), name


def test_every_existing_child_logger_of_the_http_packages_is_found() -> None:
    for name in ("httpcore.extra.deep", "httpx._client_like", "other.thing", "httpxish"):
        logging.getLogger(name)
    found = _log.http_loggers()
    assert "httpcore.extra.deep" in found
    assert "httpx._client_like" in found
    assert "other.thing" not in found
    assert "httpxish" not in found
    assert set(LOGGERS) <= set(found)
    assert found == sorted(found)


@pytest.mark.usefixtures("fresh_logging")
def test_an_unknown_level_warns_at_the_line_that_built_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    from orderpatch.licensespring import LicenseSpringClient

    monkeypatch.setenv(LOG_ENV_VAR, "verbose")
    with pytest.warns(UserWarning, match="ORDERPATCH_LOG='verbose'") as caught:
        LicenseSpringClient(api_key="k" * 20).close()
    [warning] = caught
    assert warning.filename == __file__  # this line, not orderpatch's own code
    assert str(warning.message) == (
        "ORDERPATCH_LOG='verbose' is not a level orderpatch knows; use one of debug, info (or 'off' for none); "
        "logging stays off"
    )


@pytest.mark.usefixtures("fresh_logging")
def test_an_unset_variable_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LOG_ENV_VAR, raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _log.configure_from_env()


def _token_reply(elapsed_ms: float | None) -> httpx.Response:
    request = httpx.Request("POST", "https://h.example/oauth/token?client_secret=" + SECRET)
    response = httpx.Response(200, request=request, json={"access_token": SECRET})
    if elapsed_ms is not None:
        response.elapsed = datetime.timedelta(milliseconds=elapsed_ms)
    return response


def test_the_token_request_line_is_redacted_and_timed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    _log.log_token_reply(_token_reply(41.25))
    _log.log_token_reply(_token_reply(None))  # not closed yet: no time to tell
    assert [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME] == [
        "POST https://h.example/oauth/token?client_secret=%2A%2A%2A -> 200 in 41.2 ms (token request)",
        "POST https://h.example/oauth/token?client_secret=%2A%2A%2A -> 200 (token request)",
    ]


def test_no_token_request_line_above_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    _log.log_token_reply(_token_reply(41.25))
    assert [r for r in caplog.records if r.name == LOGGER_NAME] == []


@pytest.mark.usefixtures("fresh_logging")
def test_code_run_by_exec_is_warned_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Globals without ``__name__`` (``exec`` with a bare dict) are outside the package as well."""
    from orderpatch.licensespring import LicenseSpringClient

    monkeypatch.setenv(LOG_ENV_VAR, "verbose")
    with pytest.warns(UserWarning, match="is not a level orderpatch knows") as caught:
        exec("LicenseSpringClient(api_key='k' * 20).close()", {"LicenseSpringClient": LicenseSpringClient})
    assert caught[0].filename == "<string>"

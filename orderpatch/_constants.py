"""Every default of the SDK in one place: timeouts, retries, caps and limits.

Nothing else in the package hard-codes one of these numbers, so changing a default is a
one-line change here (and a CHANGELOG entry).
"""

from __future__ import annotations

from typing import Final

#: Seconds to establish a connection (TCP + TLS).
DEFAULT_CONNECT_TIMEOUT: Final = 5.0
#: Seconds to wait for each chunk of the response.
DEFAULT_READ_TIMEOUT: Final = 30.0
#: Seconds to wait while sending each chunk of the request.
DEFAULT_WRITE_TIMEOUT: Final = 30.0
#: Seconds to wait for a free connection from the pool.
DEFAULT_POOL_TIMEOUT: Final = 5.0

#: Retries after the first attempt (so at most three requests per call).
DEFAULT_MAX_RETRIES: Final = 2
#: First backoff ceiling in seconds; doubles per retry (full jitter draws in [0, ceiling]).
INITIAL_RETRY_DELAY: Final = 0.5
#: Largest backoff ceiling in seconds.
MAX_RETRY_DELAY: Final = 8.0
#: A ``Retry-After`` longer than this is capped to it.
MAX_RETRY_AFTER: Final = 60.0

#: An OAuth2 token is renewed this share of its lifetime before it expires …
TOKEN_REFRESH_SHARE: Final = 0.1
#: … but never more than this many seconds early.
TOKEN_REFRESH_MAX_MARGIN: Final = 60.0

#: Characters of a response body kept on an error (after secrets are scrubbed).
ERROR_BODY_LIMIT: Final = 2048
#: Characters of a value quoted in a validation message.
VALUE_PREVIEW_LIMIT: Final = 60
#: A response body larger than this many bytes is refused with ``DecodeError``.
MAX_RESPONSE_BYTES: Final = 4 * 1024 * 1024

#: Longest accepted resource id.
MAX_ID_LENGTH: Final = 128
#: Longest accepted string in a request field.
MAX_STRING_LENGTH: Final = 65_536
#: Deepest accepted nesting of a JSON value in a request field.
MAX_JSON_DEPTH: Final = 32
#: Integers sent to a vendor must fit in a signed 64-bit integer.
MAX_INT: Final = 2**63 - 1
MIN_INT: Final = -(2**63)

#: Connection pool limits of a client that orderpatch creates itself.
MAX_CONNECTIONS: Final = 100
MAX_KEEPALIVE_CONNECTIONS: Final = 20

#: Name of the package logger; vendors log to ``orderpatch.<vendor>``.
LOGGER_NAME: Final = "orderpatch"
#: Environment variable that turns logging on without code changes (``debug`` or ``info``).
LOG_ENV_VAR: Final = "ORDERPATCH_LOG"

#: Environment variable that picks the HTTP package (``httpx`` or ``httpx2``); see docs/http.md.
HTTP_ENV_VAR: Final = "ORDERPATCH_HTTP"
#: The HTTP packages orderpatch runs on, in the order it prefers them when both are installed.
HTTP_PACKAGES: Final = ("httpx2", "httpx")

#: Response headers that may carry a request id, most specific first.
REQUEST_ID_HEADERS: Final = ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray")

#: Request extension set per attempt: whether an auth flow may replay the request after the
#: vendor rejected its token (False for a non-idempotent call: it is never sent twice).
REPLAY_ALLOWED: Final = "orderpatch.replay_allowed"

#: Spree Admin API v3: the largest request body its Rack middleware accepts (413 above it).
SPREE_ADMIN_MAX_BODY_BYTES: Final = 102_400
#: Spree Admin API v3: ``limit`` of one ``GET /orders`` page (the server silently caps it here).
SPREE_ADMIN_MAX_PAGE_SIZE: Final = 100
#: Spree Admin API v3: the longest ``Idempotency-Key`` the server accepts.
SPREE_ADMIN_MAX_IDEMPOTENCY_KEY: Final = 255
#: The shared (Redis) rate limiter, ``orderpatch[redis]`` (``ORDERPATCH_RATE_LIMIT_URL``): its
#: keys, its patience with Redis, and what it does without Redis.
#: Prefix of every Redis key the limiter writes.
REDIS_KEY_PREFIX: Final = "orderpatch:ratelimit:"
#: Seconds a Redis command may take before Redis counts as unreachable (never a hang).
REDIS_SOCKET_TIMEOUT: Final = 0.25
#: Seconds to connect to Redis.
REDIS_CONNECT_TIMEOUT: Final = 0.25
#: Seconds the limiter counts in-process after Redis failed, before it tries Redis again.
REDIS_RETRY_INTERVAL: Final = 15.0
#: The share of each limit one process takes while Redis is unreachable (1/4: four processes
#: falling back together stay within the budget).
RATE_LIMIT_FALLBACK_SHARE: Final = 0.25
#: What each published limit (``PUBLISHED_RATES``, in its order) is counted by: ``"key"``, the
#: credential, or ``"account"``, shared by every credential of the account (LicenseSpring's company
#: and client IP, Commerce Layer's client IP); ``ORDERPATCH_RATE_LIMIT_ACCOUNT`` names the account.
RATE_LIMIT_SCOPES: Final[dict[str, tuple[str, ...]]] = {
    "commercelayer": ("account", "account"),
    "licensespring": ("key", "account", "account"),
    "spree_admin": ("key",),
}

#: A received string up to this many characters is quoted in a ``DecodeError``; a longer one is
#: only described (its length): a cut string could be the head of a credential that scrubbing misses.
DECODE_ERROR_VALUE_CHARS: Final = 40

#: Unknown values of one ``OpenEnum`` class kept as cached pseudo-members (the oldest dropped first).
OPEN_ENUM_CACHE_SIZE: Final = 256

#: Largest page of each vendor's order list (the default page size of ``client.orders.list()``).
#: Commerce Layer documents ``page[size]`` up to 25, Spree ``per_page`` up to 500
#: (``api_v2_per_page_limit``); LicenseSpring and Lana document no maximum, so orderpatch asks
#: for 100 there (LicenseSpring's default is 20, Lana's iterator uses 20).
COMMERCELAYER_MAX_PAGE_SIZE: Final = 25
SPREE_MAX_PAGE_SIZE: Final = 500
LICENSESPRING_MAX_PAGE_SIZE: Final = 100
TRUNKERY_MAX_PAGE_SIZE: Final = 100

#: Published request limits per vendor and mode, as ``(limit, period in seconds)`` pairs, all
#: applied at once (``orderpatch._ratelimit.published_rates``); the first mode is the default.
#: Sources: ../shared/vendors/<vendor>/README.md (docs/bulk.md lists them with links).
#: Commerce Layer (§8): writes and uncacheable GETs, 50/10 s burst + 200/min live, 25/10 s +
#: 100/min test; ``test`` is the default (the stricter, as the vendor's own batch helper does).
#: LicenseSpring (§9): 50/s per key, 200/10 s per IP, and the plan's per-minute company limit
#: (Free 600 … Enterprise 2,400; the default is the smallest). Spree Platform API v2: none.
#: Spree Admin API v3 (§9): 300/min per key and controller (v5.6.1). Trunkery/Lana: none
#: published, so no pacing until configured (``--rate``), and its 429s are still honoured.
PUBLISHED_RATES: Final[dict[str, dict[str, tuple[tuple[int, float], ...]]]] = {
    "commercelayer": {"test": ((25, 10.0), (100, 60.0)), "live": ((50, 10.0), (200, 60.0))},
    "licensespring": {
        "free": ((50, 1.0), (200, 10.0), (600, 60.0)),
        "business_starter": ((50, 1.0), (200, 10.0), (900, 60.0)),
        "business_plus": ((50, 1.0), (200, 10.0), (1200, 60.0)),
        "enterprise": ((50, 1.0), (200, 10.0), (2400, 60.0)),
    },
    "spree": {"none": ()},
    "spree_admin": {"default": ((300, 60.0),)},
    "trunkery": {"unknown": ()},
}
#: Share of every rate's period added to it: a safety hair for clocks that run at slightly
#: different speeds. Network jitter needs none, as a token only comes back one period after the
#: *answer* to its request, which is never before the server counted it (0.12 s of a minute).
RATE_LIMIT_MARGIN: Final = 0.002
#: Seconds after which a rate limiter gives back a token whose request was never answered.
RATE_LIMIT_UNANSWERED: Final = 30.0
#: Seconds every caller of a limiter pauses after a 429 that carried no ``Retry-After``.
RATE_LIMITED_PAUSE: Final = 1.0
#: Response header with the requests the server still allows in its window.
RATE_LIMIT_REMAINING_HEADER: Final = "x-ratelimit-remaining"

#: Orders in flight at once in a bulk job (``orderpatch bulk --concurrency``).
BULK_DEFAULT_CONCURRENCY: Final = 4
#: Seconds a ``sending`` row of a bulk job run as tasks belongs to the delivery that wrote it
#: (``orderpatch.bulk.BulkTasks``): longer than one task may take, shorter than the task
#: queue's redelivery timeout (Dramatiq's Redis broker: 60 s heartbeat; Celery: its visibility timeout).
BULK_TASK_LEASE: Final = 30.0
#: A bulk job stops when more than this share of its orders failed (Commerce Layer's imports do the same).
BULK_DEFAULT_MAX_ERROR_RATE: Final = 0.1
#: … once at least this many orders of the run are finished, so one early failure cannot stop it.
BULK_ERROR_RATE_MIN_ORDERS: Final = 20
#: Seconds between the progress lines of a bulk job when its output is not a terminal.
BULK_PROGRESS_INTERVAL: Final = 5.0
#: Invalid input lines quoted in the error message (all of them are in ``InvalidInput.problems``).
BULK_MAX_PROBLEMS_SHOWN: Final = 20
#: Environment variable with the directory of the default bulk journals.
BULK_JOURNAL_DIR_ENV: Final = "ORDERPATCH_JOURNAL_DIR"
#: Version of the journal's tables; a journal of another version is refused.
BULK_JOURNAL_SCHEMA_VERSION: Final = 1
#: Seconds a journal write waits for another connection's lock on the file before failing.
BULK_JOURNAL_BUSY_TIMEOUT: Final = 30.0

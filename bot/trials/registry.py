"""A polite HTTP client for the ClinicalTrials.gov API v2 ``/studies`` endpoint.

API facts relied on (https://clinicaltrials.gov/data-api/api, OpenAPI spec 2.0.x): one search
endpoint ``GET /api/v2/studies`` with ``query.term`` / ``query.cond`` / ``query.intr`` /
``query.locn``, ``filter.advanced`` (Essie, e.g. ``AREA[LastUpdatePostDate]RANGE[2026-01-01,MAX]``),
``filter.ids``, ``fields``, ``format=json``, ``countTotal=true`` (``totalCount`` on the first page),
``pageSize`` (at most 1000) and cursor paging: each page's ``nextPageToken`` is sent back as
``pageToken``; the last page has none.

Rate: the registry documents no ceiling in its API pages; third-party notes give about
50 requests per minute per IP, and its robots.txt asks crawlers for ``Crawl-delay: 1``. We
default to one request every 2 s (30/min), well under both.

Retries are urllib3's (through requests): connection errors, read timeouts, 429 (honouring
``Retry-After``, capped) and 5xx, with exponential backoff. A page whose body is cut short or
is not JSON is fetched again a few times by :meth:`RegistryClient.get_page` itself (urllib3
retries only before the body is read).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from bot.errors import RegistryError, RegistryRefused

DEFAULT_API_URL = "https://clinicaltrials.gov/api/v2"
MAX_PAGE_SIZE = 1000  # the API's limit
USER_AGENT = ("institut-curie-immunotherapy-assistant/0.1 (clinical-trial sync, at most nightly; "
              f"python-requests/{requests.__version__})")
RETRY_STATUSES = (429, 500, 502, 503, 504)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientOptions:
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    retries: int = 5
    backoff_s: float = 2.0  # 2, 4, 8, 16... seconds between retries
    backoff_max_s: float = 120.0
    retry_after_max_s: float = 300.0  # a longer Retry-After is cut to this
    min_interval_s: float = 2.0  # between two requests (30/min)


class _CappedRetry(Retry):
    """urllib3's Retry, but a server's Retry-After never makes us wait more than a cap."""

    retry_after_cap: float = 300.0

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        if value is not None:
            log.info("registry asked to wait %.0f s (HTTP %s)", value, response.status)
            value = min(value, self.retry_after_cap)
        return value

    def new(self, **kw: Any) -> Retry:
        made = super().new(**kw)
        made.retry_after_cap = self.retry_after_cap  # type: ignore[attr-defined]
        return made


class _Pacer:
    """At most one request per ``interval`` seconds, across threads."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            delay = self._next - self.clock()
            if delay > 0:
                self.sleep(delay)
            self._next = self.clock() + self.interval


class RegistryClient:
    def __init__(self, api_url: str = DEFAULT_API_URL, options: ClientOptions | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.options = options or ClientOptions()
        self.requests = 0  # HTTP requests sent, retries included
        self._pacer = _Pacer(self.options.min_interval_s)
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        o = self.options
        retry = _CappedRetry(
            total=o.retries, connect=o.retries, read=o.retries, status=o.retries, other=0,
            backoff_factor=o.backoff_s, backoff_max=o.backoff_max_s,
            status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True, raise_on_status=False,
        )
        retry.retry_after_cap = o.retry_after_max_s
        self._session.mount("http://", HTTPAdapter(max_retries=retry))
        self._session.mount("https://", HTTPAdapter(max_retries=retry))

    def close(self) -> None:
        self._session.close()

    def get_page(self, params: Mapping[str, str]) -> dict[str, Any]:
        """One ``/studies`` page as JSON (``studies``, maybe ``nextPageToken`` / ``totalCount``)."""
        url = f"{self.api_url}/studies"
        o = self.options
        for attempt in range(o.retries + 1):
            self._pacer.wait()
            self.requests += 1
            try:
                reply = self._session.get(url, params={**params, "format": "json"},
                                          timeout=(o.connect_timeout_s, o.read_timeout_s))
            except requests.exceptions.RetryError as exc:  # 429/5xx retries used up
                raise RegistryError(f"{url}: the registry kept refusing ({_reason(exc)}) after {o.retries} retries") from exc
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
                problem = f"page cut short ({_reason(exc)})"
            except requests.exceptions.Timeout as exc:
                raise RegistryError(f"{url}: no answer within {o.read_timeout_s:.0f} s, {o.retries} retries") from exc
            except requests.exceptions.ConnectionError as exc:
                raise RegistryError(f"{url}: cannot reach the registry ({_reason(exc)})") from exc
            else:
                # urllib3's own retries of this request (429, 5xx, timeouts) count too.
                self.requests += len(getattr(getattr(reply.raw, "retries", None), "history", ()) or ())
                page, problem = _page_or_problem(reply)
                if page is not None:
                    return page
                if 400 <= reply.status_code < 500 and reply.status_code != 429:
                    raise RegistryRefused(f"{url}: {problem}")
                if reply.status_code >= 500 or reply.status_code == 429:
                    raise RegistryError(f"{url}: {problem} after {o.retries} retries")
            if attempt < o.retries:
                delay = min(o.backoff_s * 2 ** attempt, o.backoff_max_s)
                log.warning("registry page unusable (%s); again in %.1f s", problem, delay)
                time.sleep(delay)
        raise RegistryError(f"{url}: {problem}, {o.retries + 1} times")


def _page_or_problem(reply: requests.Response) -> tuple[dict[str, Any] | None, str]:
    if reply.status_code != 200:
        return None, f"HTTP {reply.status_code} {reply.text[:200].strip()}"
    try:
        data = reply.json()
    except ValueError as exc:
        return None, f"the page is not valid JSON (cut short?): {str(exc)[:120]}"
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        return None, "the page has no 'studies' list (not an API v2 /studies answer)"
    token = data.get("nextPageToken")
    if token is not None and not isinstance(token, str):
        return None, "the page's nextPageToken is not text"
    return data, ""


def _reason(exc: Exception) -> str:
    """The root cause in a few words, without urllib3's wrapping (pool, full URL)."""
    cause: Any = exc.args[0] if exc.args else exc
    cause = getattr(cause, "reason", None) or cause  # MaxRetryError -> what failed
    text = str(cause)
    errno = text.find("[Errno")
    if errno >= 0:
        text = text[errno:].rstrip(")\"'")
    return text.splitlines()[0][:200] if text else type(exc).__name__

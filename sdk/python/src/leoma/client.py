"""The Leoma API client: standard library only (urllib), so it installs anywhere Python 3.9+ runs."""
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, Union

from .errors import LeomaProblemError, LeomaTimeoutError
from .sse import read_events
from .types import API_VERSION, BatchObject, FileObject, VideoObject

RETRYABLE = {429, 500, 502, 503, 504}
TERMINAL = {"succeeded", "failed", "canceled", "expired"}
# A file part: (filename, bytes, content type).
FilePart = Tuple[str, bytes, str]


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Retry-After as seconds: delay-seconds, or an HTTP date."""
    if not value or not value.strip():
        return None
    if value.strip().isdigit():
        return float(value.strip())
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _multipart(fields: Mapping[str, Any], files: Mapping[str, FilePart]) -> Tuple[bytes, str]:
    boundary = f"leoma-{uuid.uuid4().hex}"
    out = bytearray()
    for name, value in fields.items():
        if value is None:
            continue
        text = json.dumps(value) if isinstance(value, (dict, list)) else str(value).lower() if isinstance(value, bool) else str(value)
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + text.encode() + b"\r\n"
    for name, (filename, content, content_type) in files.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 (content download) is returned, not followed
        return None


class Leoma:
    """A client for one API key.

    Every POST carries an Idempotency-Key (one per call, the same on each retry), so a retried create
    makes one video. 429 and 5xx answers, network errors and timeouts are retried with exponential
    backoff and full jitter, waiting what Retry-After says (up to `max_retry_after`). A problem answer
    raises LeomaProblemError with its `code`.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = "https://api.leoma.ai",
        *,
        api_version: Optional[str] = API_VERSION,
        max_retries: int = 3,
        base_delay: float = 0.5,
        max_retry_after: float = 60.0,
        timeout: float = 60.0,
        on_retry: Optional[Callable[[Dict[str, Any]], None]] = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.api_version = api_version
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_retry_after = max_retry_after
        self.timeout = timeout
        self.on_retry = on_retry
        self._opener = urllib.request.build_opener(_NoRedirect)
        self.videos = Videos(self)
        self.files = Files(self)
        self.batches = Batches(self)

    # -- HTTP -----------------------------------------------------------------------------------
    def open(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        fields: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, FilePart]] = None,
        headers: Optional[Mapping[str, str]] = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
    ):
        """Sends a request with retries and returns the open response (2xx/3xx); raises LeomaProblemError otherwise."""
        url = self.base_url + path
        params = {k: ("true" if v is True else "false" if v is False else v) for k, v in (query or {}).items() if v is not None}
        if params:
            url += "?" + urllib.parse.urlencode(params)
        sent: Dict[str, str] = {"authorization": f"Bearer {self.api_key}", "accept": "application/json", **(headers or {})}
        if self.api_version:
            sent["leoma-version"] = self.api_version
        data = None
        if files:
            data, sent["content-type"] = _multipart(fields or {}, files)
        elif json_body is not None:
            data, sent["content-type"] = json.dumps(json_body).encode(), "application/json"
        if method == "POST":
            sent["idempotency-key"] = idempotency_key or str(uuid.uuid4())
        for attempt in range(self.max_retries + 1):
            backoff = random.random() * self.base_delay * 2**attempt
            request = urllib.request.Request(url, data=data, method=method, headers=sent)
            try:
                return self._opener.open(request, timeout=timeout or self.timeout)
            except urllib.error.HTTPError as answer:
                if answer.code < 400:
                    return answer
                wait = retry_after_seconds(answer.headers.get("retry-after"))
                if answer.code not in RETRYABLE or attempt >= self.max_retries or (wait is not None and wait > self.max_retry_after):
                    raise self._problem(answer) from None
                answer.close()
                delay = backoff if wait is None else wait
                self._retrying(attempt, delay, url, status=answer.code)
            except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as error:
                if attempt >= self.max_retries:
                    if isinstance(error, (socket.timeout, TimeoutError)) or isinstance(getattr(error, "reason", None), (socket.timeout, TimeoutError)):
                        raise LeomaTimeoutError(f"no answer from {url} within {timeout or self.timeout} s") from error
                    raise
                delay = backoff
                self._retrying(attempt, delay, url, error=error)
            time.sleep(delay)
        raise AssertionError("unreachable")

    def _retrying(self, attempt: int, delay: float, url: str, **info: Any) -> None:
        if self.on_retry:
            self.on_retry({"attempt": attempt + 1, "delay": delay, "url": url, **info})

    @staticmethod
    def _problem(answer: urllib.error.HTTPError) -> LeomaProblemError:
        raw = answer.read()
        try:
            problem = json.loads(raw)
        except ValueError:
            problem = None
        if not isinstance(problem, dict) or "code" not in problem:
            problem = {"type": "about:blank", "title": answer.reason, "status": answer.code, "detail": f"HTTP {answer.code}", "code": "internal_error"}
        return LeomaProblemError(problem, answer.code)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Any operation, its JSON answer parsed (e.g. `leoma.request("GET", "/v1/usage")`)."""
        with self.open(method, path, **kwargs) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def paginate(self, path: str, query: Optional[Mapping[str, Any]] = None) -> Iterator[Dict[str, Any]]:
        """Every object of a cursor-paginated list, fetching the next page only when the loop gets there."""
        cursor = None
        while True:
            page = self.request("GET", path, query={**(query or {}), "starting_after": cursor})
            yield from page["data"]
            if not page["has_more"] or not page["data"]:
                return
            cursor = page["data"][-1]["id"]

    def events(self, path: str, last_event_id: Optional[str] = None):
        """Opens an event stream (raises LeomaProblemError when refused, after retries)."""
        headers = {"accept": "text/event-stream", **({"last-event-id": last_event_id} if last_event_id else {})}
        return self.open("GET", path, headers=headers)

    def me(self) -> Dict[str, Any]:
        return self.request("GET", "/v1/me")


def _sleep_until(deadline: float, seconds: float) -> None:
    if time.monotonic() + seconds > deadline:
        raise LeomaTimeoutError("gave up waiting")
    time.sleep(seconds)


class Videos:
    def __init__(self, client: Leoma):
        self._c = client

    def create(self, *, image: Union[str, bytes], prompt: str, idempotency_key: Optional[str] = None, **fields: Any) -> VideoObject:
        """Queues a video. `image` as bytes goes up as multipart; as text it is an https URL, data: URI or file_ id."""
        if isinstance(image, (bytes, bytearray)):
            return self._c.request(
                "POST", "/v1/videos", fields={"prompt": prompt, **fields}, files={"image": ("image", bytes(image), "application/octet-stream")}, idempotency_key=idempotency_key
            )
        return self._c.request("POST", "/v1/videos", json_body={"image": image, "prompt": prompt, **fields}, idempotency_key=idempotency_key)

    def get(self, video_id: str) -> VideoObject:
        return self._c.request("GET", f"/v1/videos/{urllib.parse.quote(video_id)}")

    def cancel(self, video_id: str) -> VideoObject:
        return self._c.request("POST", f"/v1/videos/{urllib.parse.quote(video_id)}/cancel")

    def list(self, **query: Any) -> Iterator[VideoObject]:
        """Every video, newest first (`limit` is the page size)."""
        return self._c.paginate("/v1/videos", query)  # type: ignore[return-value]

    def wait(
        self,
        video_id: str,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        transport: str = "auto",
        on_update: Optional[Callable[[VideoObject], None]] = None,
    ) -> VideoObject:
        """Returns the video once it is succeeded, failed, canceled or expired: follows its event stream
        (resuming with Last-Event-ID when one ends), and polls when streams are unavailable."""
        deadline = time.monotonic() + timeout

        def read() -> VideoObject:
            video = self.get(video_id)
            if on_update:
                on_update(video)
            return video

        video = read()
        if video["status"] in TERMINAL:
            return video
        last_id = None
        streaming = transport == "auto"
        while streaming and time.monotonic() < deadline:
            try:
                with self._c.events(f"/v1/videos/{urllib.parse.quote(video_id)}/events", last_id) as stream:
                    if not (stream.headers.get("content-type") or "").startswith("text/event-stream"):
                        break
                    for message in read_events(stream):
                        last_id = message.id or last_id
                        if message.event and message.event.rsplit(".", 1)[-1] in TERMINAL:
                            return read()
                        if on_update:
                            read()
            except (LeomaProblemError, OSError):
                break
        while video["status"] not in TERMINAL:
            _sleep_until(deadline, poll_interval)
            video = read()
        return video


class Files:
    def __init__(self, client: Leoma):
        self._c = client

    def upload(self, content: bytes, filename: str = "image", purpose: Optional[str] = None) -> FileObject:
        """Uploads a start-frame image, or (purpose='batch') a CSV/JSONL batch input."""
        return self._c.request("POST", "/v1/files", fields={"purpose": purpose}, files={"file": (filename, content, "application/octet-stream")})


def batch_settled(batch: BatchObject) -> bool:
    """Nothing will change any more (a canceled batch's running items finish first)."""
    return batch["status"] in ("completed", "failed", "expired") or (batch["status"] == "canceled" and batch["request_counts"]["running"] == 0)


class Batches:
    def __init__(self, client: Leoma):
        self._c = client

    def create(
        self,
        *,
        csv: Union[str, bytes, None] = None,
        jsonl: Union[str, bytes, None] = None,
        items: Optional[List[Dict[str, Any]]] = None,
        idempotency_key: Optional[str] = None,
        **settings: Any,
    ) -> BatchObject:
        """Submits a batch from CSV or JSONL text (sent as a file part) or a list of items; a bad row
        refuses the whole batch with 422 naming the row."""
        if items is not None:
            return self._c.request("POST", "/v1/batches", json_body={**settings, "items": items}, idempotency_key=idempotency_key)
        text, name, kind = (csv, "batch.csv", "text/csv") if csv is not None else (jsonl, "batch.jsonl", "application/x-ndjson")
        if text is None:
            raise ValueError("give csv, jsonl or items")
        content = text.encode("utf-8") if isinstance(text, str) else text
        return self._c.request("POST", "/v1/batches", fields=settings, files={"file": (name, content, kind)}, idempotency_key=idempotency_key)

    def get(self, batch_id: str) -> BatchObject:
        return self._c.request("GET", f"/v1/batches/{urllib.parse.quote(batch_id)}")

    def cancel(self, batch_id: str) -> BatchObject:
        return self._c.request("POST", f"/v1/batches/{urllib.parse.quote(batch_id)}/cancel")

    def list(self, **query: Any) -> Iterator[BatchObject]:
        return self._c.paginate("/v1/batches", query)  # type: ignore[return-value]

    def wait(
        self,
        batch_id: str,
        timeout: float = 86400.0,
        poll_interval: float = 2.0,
        transport: str = "auto",
        on_progress: Optional[Callable[[BatchObject], None]] = None,
    ) -> BatchObject:
        """Returns the batch once it is settled, calling `on_progress` whenever its counts change:
        follows its event stream, then polls (the GET after the stream decides)."""
        deadline = time.monotonic() + timeout
        seen = [""]

        def report(batch: BatchObject) -> BatchObject:
            line = f"{batch['status']} {json.dumps(batch['request_counts'], sort_keys=True)}"
            if line != seen[0] and on_progress:
                on_progress(batch)
            seen[0] = line
            return batch

        batch = report(self.get(batch_id))
        if transport == "auto" and not batch_settled(batch):
            try:
                with self._c.events(f"/v1/batches/{urllib.parse.quote(batch_id)}/events") as stream:
                    if (stream.headers.get("content-type") or "").startswith("text/event-stream"):
                        for message in read_events(stream):
                            update = json.loads(message.data)
                            if "request_counts" in update and "status" in update and batch_settled(report({**batch, **update})):
                                break
            except (LeomaProblemError, OSError, ValueError):
                pass
            batch = report(self.get(batch_id))
        while not batch_settled(batch):
            _sleep_until(deadline, poll_interval)
            batch = report(self.get(batch_id))
        return batch

    def results(self, batch_id: str, format: str = "jsonl") -> str:
        """The result manifest: one row per input row, in input order, as JSONL or CSV text."""
        with self._c.open("GET", f"/v1/batches/{urllib.parse.quote(batch_id)}/results", query={"format": format}) as response:
            return response.read().decode("utf-8")

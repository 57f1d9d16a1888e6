"""The Python SDK against the real service. test/sdk/python-sdk.e2e.test.ts starts the api and worker,
makes one tenant per test and runs this file with Debian's python3 -m pytest:
LEOMA_API_URL, LEOMA_KEYS (JSON: test name -> key), LEOMA_PNG (a path)."""
import base64
import http.server
import json
import os
import threading
import urllib.request

import pytest

from leoma import Leoma, LeomaProblemError, LeomaTimeoutError, WebhookVerificationError, verify_webhook

URL = os.environ["LEOMA_API_URL"]
KEYS = json.loads(os.environ["LEOMA_KEYS"])
with open(os.environ["LEOMA_PNG"], "rb") as f:
    PNG = f.read()
DATA_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()


def client(name, **options):
    retries = []
    leoma = Leoma(KEYS[name], URL, base_delay=0.05, on_retry=retries.append, **options)
    return leoma, retries


def raw(method, path, key, body=None):
    request = urllib.request.Request(URL + path, method=method, headers={"authorization": f"Bearer {key}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, data=None if body is None else json.dumps(body).encode()) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as answer:
        return answer.code, json.loads(answer.read() or b"null")


def test_create_wait_list_and_typed_problems():
    leoma, _ = client("basic")
    first = leoma.videos.create(prompt="a blue card", duration_seconds=1, image=PNG)
    assert first["status"] == "queued"
    statuses = []
    done = leoma.videos.wait(first["id"], timeout=60, on_update=lambda v: statuses.append(v["status"]))
    assert done["status"] == "succeeded" and done["output"]["url"].startswith("http")
    assert statuses[-1] == "succeeded"
    second = leoma.videos.create(prompt="again", duration_seconds=1, image=DATA_URI)
    assert [v["id"] for v in leoma.videos.list(limit=1)] == [second["id"], first["id"]]
    with pytest.raises(LeomaProblemError) as missing:
        leoma.videos.get("vid_doesnotexist")
    assert (missing.value.status, missing.value.code) == (404, "resource_not_found")
    assert missing.value.request_id.startswith("req_")


def test_a_429_is_retried_after_retry_after_with_one_key_and_one_video():
    key = KEYS["limited"]
    sent = 0
    while raw("GET", "/v1/me", key)[0] != 429:
        sent += 1
        assert sent < 120
    leoma, retries = client("limited")
    video = leoma.videos.create(prompt="rate limited", duration_seconds=1, image=DATA_URI)
    assert video["status"] == "queued"
    assert [r["status"] for r in retries] == [429]
    assert retries[0]["delay"] == 1.0
    assert [v["id"] for v in leoma.videos.list()] == [video["id"]]


def test_a_5xx_is_retried_with_the_same_idempotency_key_and_makes_one_video():
    """A proxy in front of the real service loses the first answer to a create (502), as a load balancer would."""
    seen = []

    class LosingProxy(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            forward = urllib.request.Request(URL + self.path, data=body, method="POST", headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
            with urllib.request.urlopen(forward) as answer:
                payload = answer.read()
                seen.append((answer.status, answer.headers.get("idempotent-replayed"), self.headers["idempotency-key"]))
                status, headers = answer.status, dict(answer.headers)
            if len(seen) == 1:
                self.send_response(502)
                self.end_headers()
                return
            self.send_response(status)
            for name in ("content-type", "request-id", "idempotent-replayed"):
                if name in {k.lower() for k in headers}:
                    self.send_header(name, next(v for k, v in headers.items() if k.lower() == name))
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LosingProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        leoma = Leoma(KEYS["lost"], f"http://127.0.0.1:{proxy.server_address[1]}", base_delay=0.05)
        video = leoma.videos.create(prompt="answer lost once", duration_seconds=1, image=DATA_URI)
    finally:
        proxy.shutdown()
    assert [(s, r) for s, r, _ in seen] == [(202, None), (202, "true")]
    assert len({k for _, _, k in seen}) == 1
    assert [v["id"] for v in Leoma(KEYS["lost"], URL).videos.list()] == [video["id"]]


def test_a_csv_batch_with_progress_and_its_manifest():
    leoma, _ = client("batch")
    csv = f'custom_id,image,prompt,duration_seconds\nmug-1,"{DATA_URI}",first,1\nmug-2,"{DATA_URI}",second,1\n'
    batch = leoma.batches.create(csv=csv)
    assert batch["request_counts"]["total"] == 2
    progress = []
    done = leoma.batches.wait(batch["id"], timeout=60, on_progress=progress.append)
    assert done["status"] == "completed" and done["request_counts"]["succeeded"] == 2
    assert progress[-1]["request_counts"]["succeeded"] == 2
    rows = leoma.batches.results(batch["id"], "csv").strip().split("\n")
    assert [row.split(",")[0] for row in rows[1:]] == ["mug-1", "mug-2"]
    assert [b["id"] for b in leoma.batches.list(limit=1)] == [batch["id"]]


def test_a_real_webhook_delivery_verifies_and_a_forged_one_does_not():
    received = []
    arrived = threading.Event()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((dict(self.headers), self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(200)
            self.end_headers()
            arrived.set()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        key = KEYS["webhook"]
        status, endpoint = raw("POST", "/v1/webhook-endpoints", key, {"url": f"http://127.0.0.1:{server.server_address[1]}/hooks", "enabled_events": ["video.queued"]})
        assert status in (200, 201), endpoint
        leoma, _ = client("webhook")
        video = leoma.videos.create(prompt="hooked", duration_seconds=1, image=DATA_URI)
        assert arrived.wait(30)
    finally:
        server.shutdown()
    headers, body = received[0]
    event = verify_webhook(body, headers, endpoint["secret"])
    assert event["type"] == "video.queued" and event["data"]["id"] == video["id"]
    with pytest.raises(WebhookVerificationError):
        verify_webhook(body + b" ", headers, endpoint["secret"])
    with pytest.raises(WebhookVerificationError):
        verify_webhook(body, {**headers, "webhook-signature": "v1,not*base64"}, endpoint["secret"])


def test_a_silent_server_times_out():
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        leoma = Leoma("lk_test_x", f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.3, max_retries=1, base_delay=0.01)
        with pytest.raises(LeomaTimeoutError):
            leoma.me()
    finally:
        silent.close()

"""Standard Webhooks verification with hmac (standard library)."""
import base64
import binascii
import hmac
import json
import time
from hashlib import sha256
from typing import Any, Dict, Mapping, Optional, Union

from .errors import WebhookVerificationError


def verify_webhook(
    raw_body: Union[bytes, str],
    headers: Mapping[str, Any],
    secret: str,
    tolerance_seconds: int = 300,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """Checks a delivery and returns its event.

    `webhook-signature` must hold a `v1,` HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>`
    under the endpoint's `whsec_` secret (during a rotation two are sent; either will do), and the
    timestamp must be within `tolerance_seconds` of now. Pass the raw body as received, not
    re-serialised JSON.
    """
    lower = {str(k).lower(): v for k, v in headers.items()}

    def header(name: str) -> str:
        value = lower.get(name)
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if not value:
            raise WebhookVerificationError(f"missing {name} header")
        return str(value)

    msg_id, timestamp, signatures = header("webhook-id"), header("webhook-timestamp"), header("webhook-signature")
    try:
        seconds = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a number") from None
    if abs((time.time() if now is None else now) - seconds) > tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is too far from now")
    body = raw_body.encode("utf-8") if isinstance(raw_body, str) else bytes(raw_body)
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, sha256).digest()
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        if version != "v1" or not signature:
            continue
        try:
            given = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(given, expected):
            return json.loads(body)
    raise WebhookVerificationError("no webhook-signature matches the secret")

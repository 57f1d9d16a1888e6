"""The Leoma API's Python SDK: image-to-video with retries, paging, waiting, batches and webhook verification."""
from .client import Leoma, batch_settled, retry_after_seconds
from .errors import LeomaError, LeomaProblemError, LeomaTimeoutError, WebhookVerificationError
from .types import API_VERSION
from .webhooks import verify_webhook

__all__ = [
    "API_VERSION",
    "Leoma",
    "LeomaError",
    "LeomaProblemError",
    "LeomaTimeoutError",
    "WebhookVerificationError",
    "batch_settled",
    "retry_after_seconds",
    "verify_webhook",
]
__version__ = "0.1.0"

"""The SDK's exceptions."""
from typing import Any, Dict, Optional


class LeomaError(Exception):
    """Base of every exception this SDK raises."""


class LeomaProblemError(LeomaError):
    """A problem+json answer: `code` is one of the API's documented codes (see the Problem type)."""

    def __init__(self, problem: Dict[str, Any], status: int):
        self.problem = problem
        self.status = int(problem.get("status") or status)
        self.code: str = problem.get("code") or "internal_error"
        self.request_id: Optional[str] = problem.get("request_id")
        request = f", {self.request_id}" if self.request_id else ""
        super().__init__(f"{problem.get('detail') or problem.get('title') or 'HTTP error'} ({self.code}, HTTP {self.status}{request})")


class LeomaTimeoutError(LeomaError):
    """An attempt, or a wait, ran out of time."""


class WebhookVerificationError(LeomaError):
    """A webhook delivery whose signature or timestamp does not check out."""

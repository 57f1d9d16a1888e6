"""A Server-Sent Events reader for a urllib response (the standard library has none)."""
from typing import Iterator, NamedTuple, Optional


class Message(NamedTuple):
    event: Optional[str]
    id: Optional[str]
    data: str


def read_events(response) -> Iterator[Message]:
    """Yields each message of an event stream as the WHATWG rules frame it: `field: value` lines,
    `data` lines joined by newlines, `:` comments skipped, a blank line ends a message."""
    event, last_id, data = None, None, []
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data or event:
                yield Message(event, last_id, "\n".join(data))
            event, data = None, []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            last_id = value

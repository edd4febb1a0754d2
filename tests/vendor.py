"""The vendor document's example events, as Bulutfon would POST them.

The files in tests/fixtures/ are the JSON examples of Bulutfon's webhook document, copied
byte for byte (the call_hangup example really does repeat the key "hangup_cause"). Use
`VENDOR_EXAMPLES[name]` as a JSON request body, and `as_form(...)` to get the same event as
the x-www-form-urlencoded body Bulutfon sends when a webhook is set to that format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

FIXTURES: Final = Path(__file__).parent / "fixtures"

VENDOR_NAMES: Final = (
    "call_init",
    "incoming_call_extension",
    "incoming_call_group",
    "call_init_menu",
    "call_hangup",
    "fax_init",
    "missing_call",
)
"""The examples in the document's order; each name is the example's own event_type."""

NORMALISED_FIELDS: Final = (
    "uuid",
    "caller",
    "callee",
    "destination",
    "direction",
    "timestamp",
    "domain_id",
    "account_id",
    "talk_duration",
    "autodial",
    "hangup_cause",
    "hangup_detail",
    "result_disposition",
    "additional_data",
    "callback_url",
    "cdr_url",
    "cdr_api_url",
)
"""Every field the integration normalises and passes on (the document's, by name)."""

VENDOR_EXAMPLES: Final[dict[str, bytes]] = {
    name: (FIXTURES / f"{name}.json").read_bytes() for name in VENDOR_NAMES
}
"""Example name -> the raw JSON body, exactly as the document shows it."""


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)  # 90532000000 -> "90532000000", true -> "true"


def as_form(body: bytes) -> bytes:
    """Turn a JSON object body into the equivalent x-www-form-urlencoded body.

    Every value becomes a string as a form post carries it: numbers as written, true and
    false in lower case, null as an empty string (nested values as JSON text). A lone
    surrogate (which UTF-8 cannot encode) is percent-encoded as the bytes a careless
    encoder writes for it: percent-encoded garbage, as a hostile sender would post.
    """
    data = json.loads(body)
    if not isinstance(data, dict):
        raise TypeError("only a JSON object can become a form")
    pairs = {key: _form_value(value) for key, value in data.items()}
    return urlencode(pairs, errors="surrogatepass").encode("ascii")


HIPCALL_NAMES: Final = (
    "hipcall_call_init",
    "hipcall_call_bridged",
    "hipcall_call_hangup",
    "hipcall_missed_call",
    "hipcall_outbound_init",
    "hipcall_2023_call_init",
    "hipcall_contact_create",
)
"""Hipcall bodies built from the vendor's field lists and examples (vendor/hipcall.md): one
inbound call (team 7, answered by user 12, recorded), a missed call with a voicemail, the
vendor's outbound call_init, the 2023 envelope's example (its "…" placeholders filled in) and a
contact event, which is no call."""

HIPCALL_EXAMPLES: Final[dict[str, bytes]] = {
    name: (FIXTURES / f"{name}.json").read_bytes() for name in HIPCALL_NAMES
}
"""Example name -> the raw JSON body, as Hipcall would POST it."""

"""The call-back list as a fact of the call model (callbacks.py), without Home Assistant."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings, strategies as st

from custom_components.bulutfon.callbacks import (
    CHANGED,
    DONE_KEPT,
    MAX_OPEN,
    CallbackList,
    item_description,
    item_summary,
    reached,
)
from custom_components.bulutfon.calls import Status
from custom_components.bulutfon.hipcall import parse_hipcall_body
from custom_components.bulutfon.phonebook import Phonebook
from custom_components.bulutfon.places import Place, PlaceKind
from custom_components.bulutfon.protocol import BulutfonEvent, EventType

from .vendor import HIPCALL_EXAMPLES

T0 = datetime(2026, 5, 4, 11, 5, tzinfo=UTC)
AYSE = "905321234567"


def missed(
    caller: str | None = AYSE, uuid: str | None = "m1", at: datetime = T0, **more: Any
) -> BulutfonEvent:
    """A missed call."""
    return BulutfonEvent(
        event_type="missing_call",
        type=EventType.MISSING_CALL,
        uuid=uuid,
        caller=caller,
        callee="908508850000",
        direction=more.pop("direction", "IN"),
        timestamp=at,
        **more,
    )


def hangup(
    caller: str | None = AYSE,
    callee: str | None = "908508850000",
    uuid: str = "h1",
    **more: Any,
) -> BulutfonEvent:
    """An end of call."""
    return BulutfonEvent(
        event_type="call_hangup",
        type=EventType.CALL_HANGUP,
        uuid=uuid,
        caller=caller,
        callee=callee,
        timestamp=T0 + timedelta(minutes=10),
        **more,
    )


def receive(callbacks: CallbackList, event: BulutfonEvent) -> frozenset[Status]:
    """Apply one event."""
    return callbacks.receive(event, received_at=T0)


def test_missed_call_adds_and_merges_per_caller_in_any_notation() -> None:
    """One item per caller: a second missed call counts; other notations are the same."""
    callbacks = CallbackList()
    assert receive(callbacks, missed()) == CHANGED
    assert receive(callbacks, missed("+90 (532) 123-45-67", "m2")) == CHANGED
    assert receive(callbacks, missed("05321234567", "m3")) == CHANGED
    (item,) = callbacks
    assert item.missed == 3
    assert not item.done


def test_repeated_delivery_changes_nothing() -> None:
    """The same missed call twice counts once, even after a restart (uuids are stored)."""
    callbacks = CallbackList()
    receive(callbacks, missed())
    again = CallbackList.from_dict(json.loads(json.dumps(callbacks.as_dict())))
    assert receive(again, missed()) == frozenset()
    assert next(iter(again)).missed == 1


def test_hidden_and_outgoing_callers_add_nothing() -> None:
    """No number to call back: hidden, empty, all zeros; an outgoing call missed nobody."""
    callbacks = CallbackList()
    for caller in (None, "", "0", "0000"):
        assert receive(callbacks, missed(caller)) == frozenset()
    assert receive(callbacks, missed(direction="OUT")) == frozenset()
    assert len(callbacks) == 0


def test_reached_rule() -> None:
    """Classic: talk time or SUCCESS; Hipcall: answered (or its call_answered event)."""
    assert reached(hangup(talk_duration=12))
    assert reached(hangup(talk_duration=0, result_disposition="success"))
    assert not reached(hangup(talk_duration=0))
    assert reached(hangup(talk_duration=0, answered=True))
    assert not reached(hangup(talk_duration=0, answered=False))
    assert reached(
        BulutfonEvent("call_bridged", EventType.CALL_ANSWERED, answered=True)
    )
    assert not reached(missed(answered=False))


def test_answered_call_either_way_completes_the_item() -> None:
    """A call from or to the caller that someone answered completes the item."""
    for event in (
        hangup(talk_duration=30),  # the caller called again and was answered
        hangup("1001", "0532 123 45 67", direction="OUT", talk_duration=30),  # we did
    ):
        callbacks = CallbackList()
        receive(callbacks, missed())
        assert receive(callbacks, event) == CHANGED
        assert next(iter(callbacks)).done
        assert receive(callbacks, event) == frozenset()  # done already
    callbacks = CallbackList()
    receive(callbacks, missed())
    assert receive(callbacks, hangup(talk_duration=0)) == frozenset()  # not answered


def test_manual_tick_then_next_missed_call_reopens() -> None:
    """A ticked item comes back open (counting from 1) with the caller's next missed call."""
    callbacks = CallbackList()
    receive(callbacks, missed())
    receive(callbacks, missed(uuid="m2"))
    (item,) = callbacks
    assert callbacks.set_done(item.uid, True, now=T0) == CHANGED
    assert callbacks.set_done(item.uid, True, now=T0) == frozenset()
    assert callbacks.open_items == []
    receive(callbacks, missed(uuid="m3", at=T0 + timedelta(hours=1)))
    (item,) = callbacks.open_items
    assert item.missed == 1


def test_edit_is_kept_and_delete_forgets() -> None:
    """A typed summary survives later missed calls; a deleted caller returns when missed."""
    callbacks = CallbackList()
    receive(callbacks, missed())
    (item,) = callbacks
    assert callbacks.edit(item.uid, summary="Ayşe (kargo)", description=None) == CHANGED
    receive(callbacks, missed(uuid="m2"))
    assert next(iter(callbacks)).summary == "Ayşe (kargo)"
    assert callbacks.delete([item.uid, "unknown"]) == CHANGED
    assert len(callbacks) == 0
    receive(callbacks, missed(uuid="m3"))
    assert len(callbacks) == 1


def test_bounds() -> None:
    """At most MAX_OPEN open items (the oldest goes); finished ones go after DONE_KEPT."""
    callbacks = CallbackList()
    for index in range(MAX_OPEN + 5):
        at = T0 + timedelta(seconds=index)
        callbacks.receive(
            missed(f"9053200{index:05d}", f"m{index}", at), received_at=at
        )
    assert len(callbacks.open_items) == MAX_OPEN
    assert callbacks.open_items[-1].number == "905320000005"
    newest = callbacks.open_items[0]
    callbacks.set_done(newest.uid, True, now=T0)
    assert callbacks.prune(T0 + DONE_KEPT - timedelta(seconds=1)) == frozenset()
    assert callbacks.prune(T0 + DONE_KEPT) == CHANGED
    assert callbacks.get(newest.uid) is None


def test_a_reopened_item_keeps_the_bound_and_a_restart_keeps_the_list() -> None:
    """A finished caller missed again opens again within MAX_OPEN (the caller missed
    longest ago goes); saved and read back, the list is the list shown (issue 24, item 4)."""
    callbacks = CallbackList()
    for index in range(MAX_OPEN + 1):
        at = T0 + timedelta(seconds=index)
        callbacks.receive(
            missed(f"9053200{index:05d}", f"m{index}", at), received_at=at
        )
    newest = callbacks.open_items[0]
    callbacks.set_done(newest.uid, True, now=T0)
    assert len(callbacks.open_items) == MAX_OPEN - 1
    callbacks.receive(missed("905329999999", "new", T0), received_at=T0)
    assert len(callbacks.open_items) == MAX_OPEN
    later = T0 + timedelta(hours=1)
    callbacks.receive(missed(newest.number, "again", later), received_at=later)
    assert len(callbacks.open_items) == MAX_OPEN
    assert callbacks.open_items[0].number == newest.number
    shown = [(item.uid, item.done) for item in callbacks]
    restored = CallbackList.from_dict(
        json.loads(json.dumps(callbacks.as_dict())), later
    )
    assert [(item.uid, item.done) for item in restored] == shown


def test_wording_of_an_item() -> None:
    """Summary: the phone-book name, else the readable number; description in both
    languages: how many, when (local time), where it rang."""
    callbacks = CallbackList()
    group = Place(PlaceKind.GROUP, "111")
    callbacks.receive(missed(), received_at=T0, place=group)
    callbacks.receive(missed(uuid="m2"), received_at=T0)
    (item,) = callbacks
    book = Phonebook.parse("0532 123 45 67 = Ayşe Kaya")
    assert item_summary(item, book) == "Ayşe Kaya"
    assert item_summary(item, Phonebook()) == "0532 123 45 67"

    def istanbul(moment: datetime) -> datetime:
        return moment + timedelta(hours=3)

    assert (
        item_description(item, book, "en", istanbul)
        == "2 missed calls, the last on 4 May at 14:05; rang at ring group 111"
    )
    assert (
        item_description(item, book, "tr", istanbul)
        == "2 cevapsız çağrı, sonuncusu 4 Mayıs 14:05; çaldığı yer: grup 111"  # noqa: RUF001
    )


def test_hipcall_user_is_where_it_rang() -> None:
    """A Hipcall missed call names the user it rang for."""
    callbacks = CallbackList()
    receive(callbacks, missed(user_id="12"))
    assert next(iter(callbacks)).place == Place(PlaceKind.USER, "12")


def test_restore_ignores_bad_data() -> None:
    """A stored file edited by hand: what does not fit is left out, no exception."""
    good = CallbackList()
    receive(good, missed())
    data = good.as_dict()
    data["items"] += [
        None,
        "x",
        {"uid": 5},
        {"uid": "a", "number": "anonymous", "last_missed": T0.isoformat()},
        {**data["items"][0], "uid": "other"},  # the same caller again
        {"uid": "b", "number": "5", "last_missed": "yesterday"},
    ]
    restored = CallbackList.from_dict(data)
    assert len(restored) == 1
    assert CallbackList.from_dict(None).as_dict() == {"items": []}
    assert CallbackList.from_dict({"items": 3}).as_dict() == {"items": []}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["missed", "answered", "tick", "delete", "edit"]),
            st.one_of(
                st.none(), st.text(max_size=20), st.from_regex(r"\+?[0-9 ]{1,14}")
            ),
            st.text(max_size=30),
        ),
        max_size=30,
    )
)
def test_any_sequence_keeps_one_item_per_caller(
    steps: list[tuple[str, str | None, str]],
) -> None:
    """Numbers of any shape, names with any characters, hand edits between calls: one item
    per caller, nothing that JSON cannot hold, and a store round trip changes nothing."""
    callbacks = CallbackList()
    for index, (kind, number, text) in enumerate(steps):
        digits = None if number is None else "".join(c for c in number if c.isdigit())
        if kind == "missed":
            receive(callbacks, missed(digits or None, f"u{index}"))
        elif kind == "answered":
            receive(
                callbacks, hangup(digits or None, talk_duration=5, uuid=f"h{index}")
            )
        elif items := list(callbacks):
            uid = items[index % len(items)].uid
            if kind == "tick":
                callbacks.set_done(uid, index % 2 == 0, now=T0)
            elif kind == "delete":
                callbacks.delete([uid])
            else:
                callbacks.edit(uid, summary=text, description=text)
    data = json.loads(json.dumps(callbacks.as_dict(), ensure_ascii=False))
    assert CallbackList.from_dict(data).as_dict() == data
    uids = [item.uid for item in callbacks]
    assert len(uids) == len(set(uids))


def test_hipcall_missed_then_answered() -> None:
    """Hipcall's own payloads: a missed call adds its caller; a later bridged call from
    the same number (other fixture, same caller) completes the item."""
    missed_call = parse_hipcall_body(HIPCALL_EXAMPLES["hipcall_missed_call"])
    bridged = parse_hipcall_body(HIPCALL_EXAMPLES["hipcall_call_bridged"])
    hung_up = parse_hipcall_body(HIPCALL_EXAMPLES["hipcall_call_hangup"])
    assert missed_call is not None
    assert bridged is not None
    assert hung_up is not None
    callbacks = CallbackList()
    assert receive(callbacks, missed_call) == CHANGED
    # The same number as the answered fixtures' caller, in Hipcall's notation.
    assert (
        receive(callbacks, missed_call._replace(caller=bridged.caller, uuid="x"))
        == CHANGED
    )
    assert len(callbacks.open_items) == 2
    assert receive(callbacks, bridged) == CHANGED
    assert receive(callbacks, hung_up) == frozenset()  # already done
    (still_open,) = callbacks.open_items
    assert still_open.number == "905559876543"


def test_the_list_is_pure() -> None:
    """callbacks.py (and what it builds on) imports nothing of Home Assistant."""
    package = Path(__file__).parents[1] / "custom_components" / "bulutfon"
    for name in ("callbacks", "calls", "places", "phonebook", "protocol", "wording"):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.startswith("homeassistant") for m in modules), name


def test_a_voicemail_is_said_on_the_item_never_its_link() -> None:
    """Issue 32: a missed call that left a voicemail says so in the to-do item's
    description (never the recording's pre-signed URL), and it is kept across a
    restart."""
    link = "https://records.hipcall.com.tr/vm-5f0c2b9e.mp3?sig=secret"
    callbacks = CallbackList()
    callbacks.receive(missed(), received_at=T0)
    callbacks.receive(missed(uuid="m2", voicemail_url=link), received_at=T0)
    (item,) = callbacks

    def istanbul(moment: datetime) -> datetime:
        return moment + timedelta(hours=3)

    english = item_description(item, Phonebook(), "en", istanbul)
    turkish = item_description(item, Phonebook(), "tr", istanbul)
    assert english.endswith("; left a voicemail")
    assert turkish.endswith("; sesli mesaj bıraktı")  # noqa: RUF001
    assert "records" not in english + turkish
    (restored,) = CallbackList.from_dict(callbacks.as_dict())
    assert restored.voicemail
    assert link not in json.dumps(callbacks.as_dict())

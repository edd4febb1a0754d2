"""The call routing core alone: BFXM requests in, decisions and BFON documents out."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.bulutfon import bfon
from custom_components.bulutfon.phonebook import Phonebook
from custom_components.bulutfon.protocol import PayloadError
from custom_components.bulutfon.routing import (
    Action,
    Answered,
    CallSessions,
    Gather,
    Problem,
    Reason,
    Route,
    RouteRequest,
    RoutingRules,
    ScriptAnswerError,
    Speech,
    blocked_keys,
    destination,
    parse_route_request,
    render,
    request_from_mapping,
    route_from_answer,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
UUID = "f615986c-2001-11e5-bdee-6599352d46ce"
CALLER = "905320000000"
PBX = "908508850000"

BOOK = Phonebook.parse("0532 000 00 00 = Ayşe")
RULES = RoutingRules(
    default_destination="1000",
    blocked=blocked_keys("+90 (555) 111 22 33\n0212 444 00 00 # a robot"),
    phonebook=BOOK,
)

# What every BFON directive must carry: Bulutfon wants every argument filled in.
REQUIRED_ARGS = {
    "play": {"url"},
    "dial": {"destination", "hide_cli_on_diversion"},
    "reject": set(),
    "hangup": set(),
    "set_caller_name": {"caller_name"},
    "gather": {
        "min_digits",
        "max_digits",
        "max_attempts",
        "timeout",
        "ask",
        "play_on_error",
        "variable_name",
    },
}
ENDS_A_CALL_PLAN = {"dial", "reject", "hangup", "gather"}


def assert_valid_bfon(document: bytes) -> list[dict[str, Any]]:
    """A complete BFON document: the envelope, known actions, every argument filled."""
    parsed = json.loads(document.decode("utf-8"))
    assert parsed["bfxm"] == {"version": 1}
    seq = parsed["seq"]
    assert seq, "an empty sequence leaves the caller without an answer"
    for directive in seq:
        assert set(directive) == {"action", "args"}
        args = directive["args"]
        assert set(args) == REQUIRED_ARGS[directive["action"]], directive
        for value in args.values():
            assert value not in ("", None), directive
    assert seq[-1]["action"] in ENDS_A_CALL_PLAN
    assert all(d["action"] not in ENDS_A_CALL_PLAN for d in seq[:-1])
    return list(seq)


def _request(**fields: Any) -> RouteRequest:
    return request_from_mapping({"uuid": UUID, "caller": CALLER, **fields})


# --- the request ---------------------------------------------------------------------


def test_vendor_form_request() -> None:
    """The form Bulutfon posts (the vendor's PHP reads $_POST) becomes a request."""
    body = urlencode(
        {"uuid": UUID, "caller": CALLER, "callee": PBX, "step": "2", "returnvar": "3"}
    ).encode()
    request = parse_route_request(body, FORM)
    assert request == RouteRequest(UUID, CALLER, PBX, 2, {"returnvar": "3"})


def test_json_request_with_numbers_in_any_notation() -> None:
    """JSON works too; numbers are normalised as the events' are."""
    body = json.dumps(
        {"uuid": UUID, "caller": "+90 532 000 00 00", "callee": 908508850000}
    ).encode()
    request = parse_route_request(body, JSON)
    assert (request.caller, request.callee, request.step) == (CALLER, PBX, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"caller": CALLER}, "uuid is missing"),
        ({"uuid": "", "caller": CALLER}, "uuid is missing"),
        ({"uuid": "null", "caller": CALLER}, "uuid is missing"),
        ({"uuid": UUID}, "caller is missing"),
        ({"uuid": "x" * 129, "caller": CALLER}, "uuid is too long"),
    ],
)
def test_request_without_call_is_refused(fields: dict[str, Any], message: str) -> None:
    """Without the call's uuid or its caller there is nothing to route: a 400."""
    with pytest.raises(PayloadError, match=message):
        parse_route_request(urlencode(fields).encode(), FORM)


@pytest.mark.parametrize("body", [b"", b"[1, 2]", b"plain text", b"{"])
def test_unreadable_body_is_refused(body: bytes) -> None:
    """Bodies that are no form and no JSON object are a PayloadError."""
    with pytest.raises(PayloadError):
        parse_route_request(body, None)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (None, 1),
        ("1", 1),
        ("7", 7),
        (7, 7),
        (7.0, 7),
        ("two", 1),
        ("-3", 1),
        (0, 1),
        (True, 1),
        ("99999999999", 1),
    ],
)
def test_step_is_tolerated(step: Any, expected: int) -> None:
    """A missing or non-numeric step counts as the first (as the vendor's examples do)."""
    fields = {} if step is None else {"step": step}
    assert _request(**fields).step == expected


def test_hidden_caller_is_routed_without_number() -> None:
    """A caller field without digits (a hidden number) is a caller we cannot name."""
    assert _request(caller="anonymous").caller is None


def test_lone_surrogates_are_replaced() -> None:
    """JSON may carry lone surrogates: they never reach an event or an answer."""
    body = b'{"uuid": "ab", "caller": "1", "x\\udfff": "\\ud800"}'
    request = parse_route_request(body, JSON)
    assert request.fields == {"x\ufffd": "\ufffd"}
    # In the call id it is no character a call id has: refused (a 400).
    with pytest.raises(PayloadError):
        parse_route_request(b'{"uuid": "a\\ud800b", "caller": "1"}', JSON)


@pytest.mark.parametrize(
    "uuid",
    ["a b", "<script>", "a\nb", "ü", "-leading", "a/b", "a;b", "%00"],
)
def test_a_uuid_is_a_call_id_or_refused(uuid: str) -> None:
    """The routing door takes call ids of a safe alphabet only (letters, digits, ".",
    "_", ":", "-"); anything else is refused before it reaches a log, event or script."""
    body = json.dumps({"uuid": uuid, "caller": "1"}).encode()
    with pytest.raises(PayloadError):
        parse_route_request(body, JSON)
    uuid = "f615986c-2001-11e5-bdee-6599352d46ce"
    body = json.dumps({"uuid": uuid, "caller": "1"}).encode()
    assert parse_route_request(body, JSON).uuid == uuid


# --- destinations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", "10"),
        ("111", "111"),
        ("1000", "1000"),
        (1000, "1000"),
        (10, "10"),
        ("0532 000 00 00", "05320000000"),
        ("+90 (532) 000-00-00", "905320000000"),
        ("1", None),
        ("12345", None),
        ("123456", None),
        ("1" * 16, None),
        ("ext 1000", None),
        ("", None),
        (None, None),
        (True, None),
        (10.5, None),
        (["1000"], None),
        ("\u0661\u0660\u0660\u0660", None),  # Arabic-Indic digits
    ],
)
def test_destination(value: Any, expected: str | None) -> None:
    """Menus have 2 digits, groups 3, extensions 4; external numbers 7 to 15."""
    assert destination(value) == expected


# --- what a script answers ---------------------------------------------------------------


def test_script_dials() -> None:
    """The simplest answer: dial an extension."""
    route = route_from_answer({"action": "dial", "destination": "1001"})
    assert route == Route(Action.DIAL, Reason.SCRIPT, destination="1001")


def test_script_answer_with_everything() -> None:
    """A name for the desk phones, recordings and a text to speak, then the action."""
    route = route_from_answer(
        {
            "action": "DIAL",
            "destination": 111,
            "caller_name": "VIP",
            "play": ["https://example.com/a.mp3", "http://example.com/b.mp3"],
            "say": "Merhaba",
        }
    )
    assert route.destination == "111"
    assert route.caller_name == "VIP"
    assert route.prompts == (
        "https://example.com/a.mp3",
        "http://example.com/b.mp3",
        Speech("Merhaba"),
    )
    assert route.speech == (Speech("Merhaba"),)


@pytest.mark.parametrize("action", ["reject", "hangup"])
def test_script_ends_the_call(action: str) -> None:
    """Reject and hangup need no destination."""
    route = route_from_answer({"action": action, "destination": "garbage"})
    assert route.action == action
    assert route.destination is None


def test_script_gathers() -> None:
    """A gather asks with a recording or a spoken text; defaults fill the rest."""
    route = route_from_answer(
        {"gather": {"say": "Press 1", "max_digits": "2", "variable": "choice"}}
    )
    assert route.action is Action.GATHER
    assert route.gather == Gather(
        ask=Speech("Press 1"),
        play_on_error=Speech("Press 1"),
        variable="choice",
        min_digits=1,
        max_digits=2,
        max_attempts=3,
        timeout_ms=5000,
    )


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (None, Problem.NO_ANSWER),
        ({}, Problem.NO_ANSWER),
        ("dial 1000", Problem.INVALID_ANSWER),
        (["dial"], Problem.INVALID_ANSWER),
        ({"action": "transfer", "destination": "1000"}, Problem.INVALID_ANSWER),
        ({"destination": "1000"}, Problem.INVALID_ANSWER),
        ({"action": "dial"}, Problem.INVALID_DESTINATION),
        ({"action": "dial", "destination": "12345"}, Problem.INVALID_DESTINATION),
        ({"action": "dial", "destination": "1000", "play": "ftp://x"}, None),
        ({"action": "dial", "destination": "1000", "play": "http://a b"}, None),
        ({"action": "dial", "destination": "1000", "say": ""}, None),
        ({"action": "dial", "destination": "1000", "say": ["x"]}, None),
        ({"action": "dial", "destination": "1000", "caller_name": {}}, None),
        ({"gather": "1"}, None),
        ({"gather": {"max_digits": 1}}, None),
        ({"gather": {"say": "x", "min_digits": 0}}, None),
        ({"gather": {"say": "x", "min_digits": 3, "max_digits": 2}}, None),
        ({"gather": {"say": "x", "variable": "caller"}}, None),
        ({"gather": {"say": "x", "variable": "a b"}}, None),
        ({"gather": {"say": "x", "max_attempts": True}}, None),
    ],
)
def test_unusable_script_answers(answer: Any, problem: Problem | None) -> None:
    """Whatever is wrong is named; the router then uses the default."""
    with pytest.raises(ScriptAnswerError) as raised:
        route_from_answer(answer)
    assert raised.value.problem is (problem or Problem.INVALID_ANSWER)


# --- the decision ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "caller", ["905551112233", "05551112233", "5551112233", "+90 555 111 22 33"]
)
def test_blocked_in_any_notation(caller: str) -> None:
    """A blocked number is matched however either side writes it."""
    assert RULES.first_look(_request(caller=caller)) == Route(
        Action.REJECT, Reason.BLOCKED
    )


def test_not_blocked_and_hidden_callers_go_on() -> None:
    """Anyone else (a hidden number too) goes on to the script or the default."""
    assert RULES.first_look(_request()) is None
    assert RULES.first_look(_request(caller="")) is None


def test_blocklist_ignores_comments_and_blank_lines() -> None:
    """`#` starts a comment; lines without a number are skipped."""
    assert blocked_keys("# list\n\n0212 444 00 00 # robot\nnone") == {"2124440000"}


def test_default_carries_the_phone_book_name() -> None:
    """Without a script the caller rings the default, named from the phone book."""
    route = RULES.default(_request())
    assert route == Route(
        Action.DIAL, Reason.DEFAULT, destination="1000", caller_name="Ayşe"
    )
    fallback = RULES.default(_request(caller="1"), Problem.TIMEOUT)
    assert (fallback.reason, fallback.problem, fallback.caller_name) == (
        Reason.FALLBACK,
        Problem.TIMEOUT,
        None,
    )


def test_script_name_wins_over_the_phone_book() -> None:
    """The phone book names the caller unless the script already did."""
    named = route_from_answer(
        {"action": "dial", "destination": "1000", "caller_name": "Boss"}
    )
    assert RULES.decide(_request(), named).caller_name == "Boss"
    plain = route_from_answer({"action": "dial", "destination": "1000"})
    assert RULES.decide(_request(), plain).caller_name == "Ayşe"
    rejected = route_from_answer({"action": "reject"})
    assert RULES.decide(_request(), rejected).caller_name is None


def test_unspeakable_gather_goes_to_the_default() -> None:
    """A question that cannot be spoken cannot be asked: the default instead."""
    route = route_from_answer({"gather": {"say": "Press 1"}})
    assert RULES.playable(_request(), route, {}) == RULES.default(
        _request(), Problem.SPEECH_UNAVAILABLE
    )
    audio = {Speech("Press 1"): "https://ha.example/api/tts_proxy/x.mp3"}
    assert RULES.playable(_request(), route, audio) is route


# --- the BFON answer ---------------------------------------------------------------------


def test_render_vendor_blocklist_example() -> None:
    """The vendor's blocklist example answers [reject] or [dial]."""
    seq = assert_valid_bfon(render(Route(Action.REJECT, Reason.BLOCKED), {}))
    assert seq == [{"action": "reject", "args": {}}]
    seq = assert_valid_bfon(render(RULES.default(_request(caller="1")), {}))
    assert seq == [
        {
            "action": "dial",
            "args": {"destination": "1000", "hide_cli_on_diversion": "false"},
        }
    ]


def test_render_name_prompts_and_dial_in_order() -> None:
    """The name first, then what the caller hears, then the action; unspoken text skipped."""
    route = RULES.decide(
        _request(),
        route_from_answer(
            {
                "action": "dial",
                "destination": "1000",
                "play": "https://example.com/a.mp3",
                "say": "Hoş geldiniz",
            }
        ),
    )
    seq = assert_valid_bfon(render(route, {Speech("Hoş geldiniz"): "https://h/s.mp3"}))
    assert [(d["action"], d["args"]) for d in seq] == [
        ("set_caller_name", {"caller_name": "Ayşe"}),
        ("play", {"url": "https://example.com/a.mp3"}),
        ("play", {"url": "https://h/s.mp3"}),
        ("dial", {"destination": "1000", "hide_cli_on_diversion": "false"}),
    ]
    seq = assert_valid_bfon(render(route, {}))
    assert [d["action"] for d in seq] == ["set_caller_name", "play", "dial"]


def test_render_gather_fills_every_argument() -> None:
    """A gather carries all of its arguments, as in the vendor's two-step example."""
    route = route_from_answer(
        {
            "gather": {
                "ask": "https://example.com/ask.mp3",
                "play_on_error": "https://example.com/err.mp3",
                "min_digits": 1,
                "max_digits": 1,
                "max_attempts": 3,
                "variable": "returnvar",
            }
        }
    )
    seq = assert_valid_bfon(render(route, {}))
    assert seq[-1]["args"] == {
        "min_digits": 1,
        "max_digits": 1,
        "max_attempts": 3,
        "timeout": 5000,
        "ask": "https://example.com/ask.mp3",
        "play_on_error": "https://example.com/err.mp3",
        "variable_name": "returnvar",
    }


def test_bfon_text_is_always_encodable() -> None:
    """A lone surrogate in a caller name cannot break the document's UTF-8."""
    document = bfon.document([bfon.set_caller_name("a\ud800"), bfon.reject()])
    assert json.loads(document)["seq"][0]["args"]["caller_name"] == "a\ufffd"


# --- per-call state ----------------------------------------------------------------------


def test_sessions_answer_a_repeated_step_the_same_way() -> None:
    """Retries of one step get the first answer; the next step is new."""
    sessions = CallSessions()
    first = _request(step="1")
    answered = Answered(RULES.default(first), b"doc")
    assert sessions.answered(first) is None
    sessions.remember(first, answered)
    assert sessions.answered(_request(step="1")) is answered
    assert sessions.answered(_request(step="2")) is None


def test_sessions_find_gathered_digits_in_the_asked_field() -> None:
    """The digits come back in the field the gather named, on a later step only."""
    sessions = CallSessions()
    ask = route_from_answer({"gather": {"say": "x", "variable": "choice"}})
    sessions.remember(_request(step=1), Answered(ask, b"doc"))
    assert sessions.digits(_request(step=1, choice="1")) is None
    assert sessions.digits(_request(step=2, choice=" 4#")) == "4#"
    assert sessions.digits(_request(step=2, other="4")) is None
    assert sessions.digits(_request(uuid="other", step=2, choice="4")) is None


def test_sessions_are_bounded() -> None:
    """Only the most recent calls, and a few steps of each, are remembered."""
    sessions = CallSessions(max_calls=3, max_steps=2)
    for index in range(10):
        request = _request(uuid=f"call-{index}")
        sessions.remember(request, Answered(RULES.default(request), b"doc"))
    assert len(sessions) == 3
    assert sessions.answered(_request(uuid="call-0")) is None
    assert sessions.answered(_request(uuid="call-9")) is not None
    for step in range(1, 6):
        request = _request(uuid="call-9", step=step)
        sessions.remember(request, Answered(RULES.default(request), b"doc"))
    assert sessions.answered(_request(uuid="call-9", step=5)) is not None
    assert sessions.answered(_request(uuid="call-9", step=3)) is None


# --- fuzzing: whatever comes in, a valid answer or a clear refusal goes out --------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["1000", "10", "111", "dial", "reject", "hangup", "https://x/y"])
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "action",
                    "destination",
                    "caller_name",
                    "play",
                    "say",
                    "gather",
                    "ask",
                    "min_digits",
                    "max_digits",
                    "max_attempts",
                    "variable",
                    "timeout",
                    "play_on_error",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(body=st.binary(max_size=300) | _JSON.map(lambda v: json.dumps(v).encode()))
def test_fuzz_request_bodies(body: bytes) -> None:
    """Any body is a request or a PayloadError; never anything else."""
    for content_type in (None, JSON, FORM):
        try:
            request = parse_route_request(body, content_type)
        except PayloadError:
            continue
        assert request.uuid
        assert request.step >= 1


@settings(max_examples=600, deadline=None)
@given(answer=_JSON, speak=st.booleans(), caller=st.sampled_from(["1", CALLER, None]))
def test_fuzz_script_answers_always_give_a_valid_document(
    answer: Any, speak: bool, caller: str | None
) -> None:
    """Whatever a script answers, the caller gets a complete, valid BFON document."""
    request = _request(caller=caller)
    route = RULES.first_look(request)
    if route is None:
        try:
            route = RULES.decide(request, route_from_answer(answer))
        except ScriptAnswerError as err:
            route = RULES.default(request, err.problem)
    audio = {text: f"https://h/{index}.mp3" for index, text in enumerate(route.speech)}
    route = RULES.playable(request, route, audio if speak else {})
    assert_valid_bfon(render(route, audio if speak else {}))

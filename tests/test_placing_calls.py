"""Placing calls from Home Assistant (issue 25 items 1-3, issue 32 items 5, 6, 12): who may
(a real Context of an administrator, a user, a read-only user, an automation), where to,
how often, the logbook line, the person picked by name, and the call-back button and the
action's `missed_call` dialling only a caller Hipcall's own records confirm, against the
fake Hipcall API on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from homeassistant.auth.const import GROUP_ID_ADMIN, GROUP_ID_USER
from homeassistant.auth.models import User
from homeassistant.components.persistent_notification import (
    _async_get_or_create_notifications,
)
from homeassistant.const import EVENT_LOGBOOK_ENTRY
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.bulutfon.const import (
    CONF_CALL_PREFIXES,
    CONF_NON_ADMIN_CALLS,
    DOMAIN,
)

from .conftest import NUMBER, Post
from .fake_hipcall import FakeHipcall, call_record
from .test_hipcall_account import api, device_of, hipcall_entry, start

__all__ = ["api"]  # the fixture, used by name

pytestmark = pytest.mark.usefixtures("socket_enabled")

Api = tuple[FakeHipcall, str]
BUTTON = f"button.bulutfon_{NUMBER}_user_12_call_back"
TODO = f"todo.bulutfon_{NUMBER}_callbacks"


async def person(hass: HomeAssistant, name: str, group: str) -> User:
    """A Home Assistant user in one of its groups."""
    found = await hass.auth.async_get_group(group)
    assert found is not None
    return MockUser(name=name, groups=[found]).add_to_hass(hass)


async def line_with(hass: HomeAssistant, url: str, **options: Any) -> MockConfigEntry:
    """The Hipcall line on the fake API, with these options."""
    entry = hipcall_entry(url)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        version=1,
        minor_version=3,
        data=dict(entry.data),
        options={**entry.options, **options},
    )
    await start(hass, entry)
    return entry


async def place(
    hass: HomeAssistant, context: Context | None = None, **data: Any
) -> Any:
    """`bulutfon.call` on the line's device (the person's when `user` is not given)."""
    line = device_of(hass, NUMBER)
    assert line is not None
    data.setdefault("user", "12")
    return await hass.services.async_call(
        DOMAIN,
        "call",
        {"device_id": line.id, **data},
        blocking=True,
        return_response=True,
        context=context,
    )


# Who may place a call


async def test_an_administrator_calls_and_the_logbook_names_them(
    hass: HomeAssistant, api: Api
) -> None:
    fake, url = api
    await line_with(hass, url)
    admin = await person(hass, "Ayla Yönetici", GROUP_ID_ADMIN)
    logged = async_capture_events(hass, EVENT_LOGBOOK_ENTRY)
    await place(hass, Context(user_id=admin.id), number="0532 123 45 67")
    assert fake.placed[-1][0] == "12"
    (entry,) = [event.data for event in logged if event.data.get("domain") == DOMAIN]
    assert entry["name"] == "Hipcall 0850 885 00 00"  # the line
    assert "Ayla Yönetici" in entry["message"]
    assert "Ayşe Kaya" in entry["message"]  # whose phone rang
    assert "532" not in entry["message"]  # never the number called
    assert entry["entity_id"] == f"event.bulutfon_{NUMBER}_call"


async def test_a_user_who_is_no_administrator_is_refused(
    hass: HomeAssistant, api: Api
) -> None:
    """Fails before issue 25: any logged-in user placed paid calls."""
    fake, url = api
    await line_with(hass, url)
    user = await person(hass, "Ali", GROUP_ID_USER)
    with pytest.raises(Unauthorized) as err:
        await place(hass, Context(user_id=user.id), number="0532 123 45 67")
    assert err.value.translation_key == "call_not_allowed"
    assert "administrators" in str(err.value)  # translated, not "Unauthorized"
    assert fake.placed == []


async def test_the_read_only_user_is_refused_even_when_users_may_call(
    hass: HomeAssistant, api: Api, hass_read_only_user: MockUser
) -> None:
    fake, url = api
    await line_with(hass, url, **{CONF_NON_ADMIN_CALLS: True})
    with pytest.raises(Unauthorized):
        await place(
            hass, Context(user_id=hass_read_only_user.id), number="0532 123 45 67"
        )
    assert fake.placed == []
    user = await person(hass, "Ali", GROUP_ID_USER)
    await place(hass, Context(user_id=user.id), number="0532 123 45 67")
    assert len(fake.placed) == 1


async def test_an_automation_calls_and_the_logbook_says_so(
    hass: HomeAssistant, api: Api
) -> None:
    """No user in the context: an automation or script an administrator wrote."""
    fake, url = api
    await line_with(hass, url)
    logged = async_capture_events(hass, EVENT_LOGBOOK_ENTRY)
    await place(hass, Context(), number="0532 123 45 67")
    assert len(fake.placed) == 1
    assert "automation" in logged[-1].data["message"]


async def test_ten_calls_a_minute_per_line(hass: HomeAssistant, api: Api) -> None:
    fake, url = api
    await line_with(hass, url)
    for _ in range(10):
        await place(hass, number="0532 123 45 67")
    with pytest.raises(ServiceValidationError) as err:
        await place(hass, number="0532 123 45 67")
    assert err.value.translation_key == "call_limit"
    assert "10 a minute" in str(err.value)
    assert len(fake.placed) == 10


# Where calls may go


@pytest.mark.parametrize(
    ("options", "number", "key"),
    [
        ({}, "0900 123 45 67", "callee_premium_tr"),
        ({}, "+882 1612345678", "callee_premium_international"),
        ({}, "+979 123456789", "callee_premium_international"),
        ({CONF_CALL_PREFIXES: "+90"}, "0900 123 45 67", "callee_premium_tr"),
        ({CONF_CALL_PREFIXES: "0532, +49"}, "0212 123 45 67", "callee_not_listed"),
    ],
)
async def test_premium_and_unlisted_numbers_are_refused(
    hass: HomeAssistant, api: Api, options: dict[str, str], number: str, key: str
) -> None:
    """Fails before issue 25: 0900 and +882 numbers were dialled."""
    fake, url = api
    await line_with(hass, url, **options)
    with pytest.raises(ServiceValidationError) as err:
        await place(hass, number=number)
    assert err.value.translation_key == key
    assert fake.placed == []


@pytest.mark.parametrize(
    ("options", "number"),
    [
        ({}, "0532 123 45 67"),
        ({}, "+49 30 1234567"),
        ({CONF_CALL_PREFIXES: "*"}, "+882 1612345678"),
        ({CONF_CALL_PREFIXES: "0900"}, "0900 123 45 67"),
        ({CONF_CALL_PREFIXES: "0532, +49"}, "+49 30 1234567"),
    ],
)
async def test_allowed_numbers_are_dialled(
    hass: HomeAssistant, api: Api, options: dict[str, str], number: str
) -> None:
    fake, url = api
    await line_with(hass, url, **options)
    await place(hass, number=number)
    assert len(fake.placed) == 1


# The person, by device or by name


async def test_the_person_is_picked_by_name(hass: HomeAssistant, api: Api) -> None:
    """Fails before issue 32: "Mehmet Demir" gave "Hipcall has no user Mehmet Demir"."""
    fake, url = api
    await line_with(hass, url)
    await place(hass, number="0532 123 45 67", user="Mehmet Demir")
    await place(hass, number="0532 123 45 67", user="  mehmet demir ")
    assert [placed[0] for placed in fake.placed] == ["13", "13"]
    with pytest.raises(ServiceValidationError) as err:
        await place(hass, number="0532 123 45 67", user="Zeynep")
    assert err.value.translation_key == "unknown_user"
    assert "Ayşe Kaya, Mehmet Demir" in str(err.value)


async def test_no_deprecated_device_api(
    hass: HomeAssistant, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    """Fails before issue 32 item 12: `device.config_entries` "will stop working in
    Home Assistant 2027.10.0"."""
    _fake, url = api
    await line_with(hass, url)
    ayse = device_of(hass, f"{NUMBER}_user_12")
    assert ayse is not None
    with caplog.at_level(logging.WARNING):
        await hass.services.async_call(
            DOMAIN,
            "call",
            {"device_id": ayse.id, "number": "0532 123 45 67"},
            blocking=True,
        )
    assert "2027.10" not in caplog.text


# The call-back button and the missed call


async def miss(
    post: Post,
    fake: FakeHipcall,
    caller: str,
    uuid: str,
    *,
    real: bool = True,
    minutes_ago: int = 0,
) -> None:
    """A missed call through the webhook; `real`: Hipcall's records hold it too."""
    started = dt_util.utcnow() - timedelta(minutes=minutes_ago)
    record = call_record(started, uuid=uuid, missed=True, caller=caller)
    if real:
        fake.calls.append(record)
    assert (await post({"event": "call_hangup", "data": record})).status == 200


async def test_the_button_calls_the_caller_still_waiting(
    hass: HomeAssistant, api: Api, late_post: Post
) -> None:
    """Fails before issue 32 item 5: the button rang the last missed caller although
    that caller was ticked on the list, and said nothing."""
    fake, url = api
    await line_with(hass, url)
    await miss(late_post, fake, "+905551112233", "first", minutes_ago=5)
    await miss(late_post, fake, "+905554445566", "second")
    assert hass.states.get(BUTTON).attributes["callee"] == "0555 444 55 66"
    callbacks = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.callbacks
    (latest, older) = callbacks.open_items
    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": TODO, "item": latest.uid, "status": "completed"},
        blocking=True,
    )
    state = hass.states.get(BUTTON)
    assert state.attributes["callee"] == "0555 111 22 33"  # shown before the press
    await hass.services.async_call(
        "button", "press", {"entity_id": BUTTON}, blocking=True
    )
    assert fake.placed == [
        ("12", {"callee_number": "+905551112233", "ring_user_first": True})
    ]
    (notice,) = _async_get_or_create_notifications(hass).values()
    # The person who pressed is told what happens, and whom it calls.
    assert notice["title"] == "Calling back"
    assert "Ayşe Kaya" in notice["message"]
    assert "0555 111 22 33" in notice["message"]
    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": TODO, "item": older.uid, "status": "completed"},
        blocking=True,
    )
    assert hass.states.get(BUTTON).state == "unavailable"  # nobody waits


async def test_a_forged_missed_call_is_not_called_back(
    hass: HomeAssistant, api: Api, late_post: Post
) -> None:
    """Fails before issue 25 item 3: a stranger with the webhook URL chose whom the
    office dialled."""
    fake, url = api
    await line_with(hass, url)
    await miss(late_post, fake, "+905559998877", "forged", real=False)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "button", "press", {"entity_id": BUTTON}, blocking=True
        )
    assert err.value.translation_key == "call_back_unconfirmed"
    assert fake.placed == []


async def test_a_forged_uuid_of_a_real_call_confirms_nothing(
    hass: HomeAssistant, api: Api, late_post: Post
) -> None:
    """A real call's uuid with another number: Hipcall's record names its own caller."""
    fake, url = api
    await line_with(hass, url)
    real = call_record(
        dt_util.utcnow() - timedelta(hours=3), uuid="real", caller="+905321234567"
    )
    fake.calls.append(real)
    forged = {**real, "caller_number": "+905559998877", "missing_call": True}
    forged["bridged_at"] = forged["answered_at"] = None
    assert (await late_post({"event": "call_hangup", "data": forged})).status == 200
    item = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.callbacks
    (waiting,) = item.open_items
    with pytest.raises(HomeAssistantError) as err:
        await place(hass, missed_call=waiting.uid)
    assert err.value.translation_key == "call_back_unconfirmed"
    assert fake.placed == []


async def test_the_missed_call_field_dials_a_confirmed_caller(
    hass: HomeAssistant, api: Api, late_post: Post
) -> None:
    """The blueprint's Call back: the call-back item, confirmed by its uuid."""
    fake, url = api
    await line_with(hass, url)
    await miss(late_post, fake, "+905551112233", "m1")
    callbacks = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.callbacks
    (waiting,) = callbacks.open_items
    await place(hass, missed_call=waiting.uid)
    assert fake.placed[-1][1]["callee_number"] == "+905551112233"
    assert "/api/v3/calls/m1" in fake.paths()
    with pytest.raises(ServiceValidationError) as err:
        await place(hass, missed_call="not-an-item")
    assert err.value.translation_key == "callback_not_found"


# The two options


async def test_the_options_choose_who_may_call_and_where(
    hass: HomeAssistant, api: Api
) -> None:
    _fake, url = api
    entry = await line_with(hass, url)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    fields = {str(key) for key in result["data_schema"].schema}
    assert {CONF_NON_ADMIN_CALLS, CONF_CALL_PREFIXES} <= fields
    base = {"events": list(entry.options["events"]), "daily_reset": False}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**base, CONF_CALL_PREFIXES: "0532, 532"}
    )
    assert result["errors"] == {CONF_CALL_PREFIXES: "invalid_prefix"}
    assert result["description_placeholders"]["prefix"] == "532"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**base, CONF_CALL_PREFIXES: "0532, +49", CONF_NON_ADMIN_CALLS: True},
    )
    assert entry.options[CONF_CALL_PREFIXES] == "0532, +49"
    assert entry.options[CONF_NON_ADMIN_CALLS] is True
    await hass.async_block_till_done(wait_background_tasks=True)

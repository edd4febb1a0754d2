"""The call-back list of a line as a to-do list: "Calls to return"."""

from __future__ import annotations

from functools import partial

from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
from homeassistant.util.dt import as_local

from . import BulutfonConfigEntry
from .callbacks import item_description, item_summary
from .calls import Status
from .const import DOMAIN
from .entity import BulutfonEntity, place_name
from .wording import language_for

PARALLEL_UPDATES = 0

CALLBACKS = EntityDescription(key=Status.CALLBACKS, translation_key="callbacks")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the line's call-back list."""
    async_add_entities([CallbackTodoList(entry.runtime_data, CALLBACKS)])


def _typed_description(sent: str | None, typed: str | None, shown: str) -> str | None:
    """What a person typed as the description: "" clears a typed one, None keeps it."""
    if sent is None:
        return "" if typed else None
    return None if sent == shown else sent


class CallbackTodoList(BulutfonEntity, TodoListEntity):
    """The callers missed and not reached since; its state is how many are open."""

    platform_domain = Platform.TODO
    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.DELETE_TODO_ITEM
        | TodoListEntityFeature.SET_DESCRIPTION_ON_ITEM
    )

    async def async_added_to_hass(self) -> None:
        """Show the list as it is (restored from the store), then follow it."""
        self._attr_todo_items = self._items()
        await super().async_added_to_hass()

    def _items(self) -> list[TodoItem]:
        line = self.line
        phonebook = line.settings.phonebook
        language = language_for(self.hass.config.language)
        return [
            TodoItem(
                uid=item.uid,
                summary=item_summary(item, phonebook),
                description=item_description(
                    item, phonebook, language, as_local, partial(place_name, line)
                ),
                status=TodoItemStatus.COMPLETED
                if item.done
                else TodoItemStatus.NEEDS_ACTION,
            )
            for item in line.callbacks
        ]

    @callback
    def _handle_change(self) -> None:
        # A new list each time: TodoListEntity caches todo_items by identity.
        self._attr_todo_items = self._items()
        self.async_write_ha_state()

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Tick, reopen or edit an item by hand."""
        line = self.line
        found = None if item.uid is None else line.callbacks.get(item.uid)
        if found is None or item.uid is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="callback_not_found",
            )
        phonebook = line.settings.phonebook
        language = language_for(self.hass.config.language)
        summary = item.summary
        description = item.description
        changed = line.callbacks.edit(
            item.uid,
            # Only what differs from what is shown was typed by a person.
            summary=summary if summary != item_summary(found, phonebook) else None,
            description=_typed_description(
                description,
                found.description,
                item_description(
                    found, phonebook, language, as_local, partial(place_name, line)
                ),
            ),
        )
        if item.status is not None:
            changed |= line.callbacks.set_done(
                item.uid,
                item.status == TodoItemStatus.COMPLETED,
                now=dt_util.utcnow(),
            )
        line.async_callbacks_changed(changed)

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Delete items by hand; a caller who calls again comes back."""
        self.line.async_callbacks_changed(self.line.callbacks.delete(uids))

"""The rules of hassfest's `config_entry` plugin, restated for this repository's tests.

Source: home-assistant/core, `script/hassfest/config_entry.py` at commit
2f37a587989543e8c031d3243ff6e028269fcfd6 (the development branch; not in 2026.10 or
2026.11). That plugin is not installed here, so its rules are written again below, rule
by rule in the same order, without its `Integration`/`Config` model: `errors` returns the
messages hassfest would add. Where its source changes, update this file from it.

1. `config.yaml` must exist when the integration has a config flow.
2. Its shape: `config_entry.versions` is a list of {version: {major, minor} (whole numbers
   from 1), data: {fields}, options: {fields}}; every field may say `required`,
   `default`, `example` and must give a valid Home Assistant `selector`. Optional
   `subentries` map a type to its own `versions`.
3. No version twice (also per subentry type).
4. A SchemaConfigFlowHandler flow without its own async_create_entry stores everything
   in options: then no version may declare data fields.
5. Only when no version declares any data field: a flow using `register_webhook_flow`
   must declare `webhook_id` and `cloudhook`, an OAuth2 flow `auth_implementation` and
   `token`, and every key of a literal dict passed as `async_create_entry(data=...)` (in
   config flows, not options flows) must be declared in every version.
6. Fields a step stores as `async_create_entry(data=user_input)` (the keys of the
   `data_schema` it shows) must be declared in the newest version: data fields for a
   config flow, options fields for an options flow.

Field names in the flow's code are resolved as hassfest does: a string, a module-level
string constant, else a `CONF_X` name read as "x".
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from homeassistant.helpers import selector
from homeassistant.util.yaml import load_yaml_dict
import voluptuous as vol
from voluptuous.humanize import humanize_error

_VERSION = vol.Schema(
    {
        vol.Required("major"): vol.All(vol.Coerce(int), vol.Range(min=1)),
        vol.Required("minor"): vol.All(vol.Coerce(int), vol.Range(min=1)),
    }
)
_FIELD = vol.Schema(
    {
        vol.Optional("required"): bool,
        vol.Optional("default"): object,
        vol.Optional("example"): object,
        vol.Required("selector"): selector.validate_selector,
    }
)
_SECTION = vol.Schema({vol.Required("fields"): vol.Schema({str: _FIELD})})
_VERSIONED = vol.Schema(
    {
        vol.Required("version"): _VERSION,
        vol.Required("data"): _SECTION,
        vol.Required("options"): _SECTION,
    }
)
ROOT_SCHEMA = vol.Schema(
    {
        vol.Required("config_entry"): {
            vol.Required("versions"): [_VERSIONED],
            vol.Optional("subentries", default={}): {
                str: {vol.Required("versions"): [_VERSIONED]}
            },
        }
    }
)


def _name(node: ast.expr) -> str | None:
    """A dotted name (`a.b.c`) of a Name or Attribute node."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and (base := _name(node.value)):
        return f"{base}.{node.attr}"
    return None


def _constants(module: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` (annotated or not)."""
    found: dict[str, str] = {}
    for node in module.body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            found[target.id] = value.value
    return found


def _field(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in constants:
            return constants[node.id]
        if node.id.startswith("CONF_"):
            return node.id[5:].lower()
    if isinstance(node, ast.Attribute) and (dotted := _name(node)):
        return constants.get(dotted)
    return None


def _dict_fields(node: ast.Dict, constants: dict[str, str]) -> set[str]:
    return {name for key in node.keys if (name := _field(key, constants))}


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Every statement, nested ones (if/try/for/while/with/match) included."""
    found: list[ast.stmt] = []
    queue = list(body)
    while queue:
        statement = queue.pop(0)
        found.append(statement)
        for name in ("body", "orelse", "finalbody"):
            queue.extend(getattr(statement, name, []))
        if isinstance(statement, ast.Try):
            for handler in statement.handlers:
                queue.extend(handler.body)
        if isinstance(statement, ast.Match):
            for case in statement.cases:
                queue.extend(case.body)
    return found


def _functions(
    node: ast.Module | ast.ClassDef,
) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        child
        for child in node.body
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _bases(node: ast.ClassDef) -> set[str]:
    return {name for base in node.bases if (name := _name(base))}


def create_entry_literal_keys(module: ast.Module) -> set[str]:
    """Keys of literal dicts given as `async_create_entry(data=...)` outside options flows
    (directly, or through a local variable assigned a dict literal)."""
    constants = _constants(module)
    keys: set[str] = set()
    functions = list(_functions(module))
    for node in module.body:
        if isinstance(node, ast.ClassDef) and not any(
            base.endswith("OptionsFlow") for base in _bases(node)
        ):
            functions.extend(_functions(node))
    for function in functions:
        local: dict[str, set[str]] = {}
        for statement in _statements(function.body):
            if isinstance(statement, ast.Assign | ast.AnnAssign):
                target = (
                    statement.targets[0]
                    if isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    else getattr(statement, "target", None)
                )
                if isinstance(target, ast.Name) and isinstance(
                    statement.value, ast.Dict
                ):
                    local[target.id] = _dict_fields(statement.value, constants)
            if not (
                isinstance(statement, ast.Expr | ast.Return)
                and isinstance(statement.value, ast.Call)
            ):
                continue
            call = statement.value
            if not (_name(call.func) or "").endswith("async_create_entry"):
                continue
            for keyword in call.keywords:
                if keyword.arg != "data":
                    continue
                if isinstance(keyword.value, ast.Dict):
                    keys |= _dict_fields(keyword.value, constants)
                elif isinstance(keyword.value, ast.Name):
                    keys |= local.get(keyword.value.id, set())
    return keys


def _calls(module: ast.Module, suffix: str) -> bool:
    return any(
        isinstance(node, ast.Call) and (_name(node.func) or "").endswith(suffix)
        for node in ast.walk(module)
    )


def _oauth2(module: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ClassDef)
        and any(base.endswith("AbstractOAuth2FlowHandler") for base in _bases(node))
        for node in ast.walk(module)
    )


def _schema_flow_in_options_only(module: ast.Module) -> bool:
    """Rule 4's condition, for a flow deriving directly from SchemaConfigFlowHandler."""
    classes = [node for node in module.body if isinstance(node, ast.ClassDef)]
    schema = [
        node
        for node in classes
        if any(base.endswith("SchemaConfigFlowHandler") for base in _bases(node))
        and any(keyword.arg == "domain" for keyword in node.keywords)
    ]
    return bool(schema) and all(
        "async_create_entry" not in {f.name for f in _functions(node)}
        for node in schema
    )


def _schema_keys(
    expression: ast.expr,
    constants: dict[str, str],
    definitions: dict[str, ast.expr],
    seen: set[str],
) -> set[str]:
    if isinstance(expression, ast.Name):
        if expression.id in seen or expression.id not in definitions:
            return set()
        seen.add(expression.id)
        return _schema_keys(definitions[expression.id], constants, definitions, seen)
    if isinstance(expression, ast.Call) and expression.args:
        name = _name(expression.func) or ""
        if name.endswith("Schema") and isinstance(expression.args[0], ast.Dict):
            return _dict_fields(expression.args[0], constants)
        if name.endswith("add_suggested_values_to_schema"):
            return _schema_keys(expression.args[0], constants, definitions, seen)
    return set()


def user_input_fields(module: ast.Module) -> tuple[set[str], set[str]]:
    """Rule 6: (data fields, options fields) stored as `data=user_input`.

    As hassfest reads them: a step's schema is what its `async_show_form(data_schema=...)`
    shows (a Schema literal, a module-level name, or add_suggested_values_to_schema of
    one); schemas bound to local variables inside the step are not followed.
    """
    constants = _constants(module)
    definitions: dict[str, ast.expr] = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            if isinstance(node.targets[0], ast.Name):
                definitions[node.targets[0].id] = node.value
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
        ):
            definitions[node.target.id] = node.value
    data: set[str] = set()
    options: set[str] = set()
    for node in module.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = _bases(node)
        if any(base.endswith("OptionsFlow") for base in bases):
            stored = options
        elif any("ConfigFlow" in base for base in bases):
            stored = data
        else:
            continue
        for step in _functions(node):
            if not step.name.startswith("async_step_"):
                continue
            calls = [call for call in ast.walk(step) if isinstance(call, ast.Call)]
            shown: set[str] = set()
            for call in calls:
                if (_name(call.func) or "").endswith("async_show_form"):
                    for keyword in call.keywords:
                        if keyword.arg == "data_schema":
                            shown |= _schema_keys(
                                keyword.value, constants, definitions, set()
                            )
            if not shown:
                continue
            for call in calls:
                if (_name(call.func) or "").endswith("async_create_entry") and any(
                    keyword.arg == "data"
                    and isinstance(keyword.value, ast.Name)
                    and keyword.value.id == "user_input"
                    for keyword in call.keywords
                ):
                    stored |= shown
    return data, options


def _unique(versions: list[dict[str, Any]], where: str) -> list[str]:
    seen: set[tuple[int, int]] = set()
    errors = []
    for item in versions:
        key = (item["version"]["major"], item["version"]["minor"])
        if key in seen:
            errors.append(f"Duplicate version {key[0]}.{key[1]} found in {where}")
        seen.add(key)
    return errors


def errors(integration: Path, *, config_flow: bool = True) -> list[str]:
    """What hassfest's config_entry plugin would report for the integration folder."""
    path = integration / "config.yaml"
    if not path.is_file():
        return (
            ["Integrations with a config flow must define config.yaml"]
            if config_flow
            else []
        )
    try:
        raw = load_yaml_dict(str(path))
    except Exception:  # noqa: BLE001 - hassfest reports any load error the same way
        return ["Invalid config.yaml"]
    try:
        validated = ROOT_SCHEMA(raw)
    except vol.Invalid as err:
        return [f"Invalid config.yaml: {humanize_error(raw, err)}"]
    entry = validated["config_entry"]
    versions: list[dict[str, Any]] = entry["versions"]
    found = _unique(versions, "config_entry.versions")
    flow_path = integration / "config_flow.py"
    module = ast.parse(flow_path.read_text()) if flow_path.is_file() else None

    def version(item: dict[str, Any]) -> str:
        return f"{item['version']['major']}.{item['version']['minor']}"

    if module is not None and _schema_flow_in_options_only(module):
        found += [
            "Integrations using SchemaConfigFlowHandler without async_create_entry "
            f"override must have empty data.fields (found in version {version(item)})"
            for item in versions
            if item["data"]["fields"]
        ]
    no_data = all(not item["data"]["fields"] for item in versions)
    if no_data and module is not None:
        required: list[tuple[str, set[str]]] = []
        if _calls(module, "register_webhook_flow"):
            required.append(("Webhook helper flows", {"webhook_id", "cloudhook"}))
        if _oauth2(module):
            required.append(("OAuth2 helper flows", {"auth_implementation", "token"}))
        if literal := create_entry_literal_keys(module):
            required.append(("async_create_entry(data=...)", literal))
        for what, keys in required:
            for item in versions:
                if missing := sorted(keys - set(item["data"]["fields"])):
                    found.append(
                        f"{what}: data.fields is missing {', '.join(missing)} "
                        f"in version {version(item)}"
                    )
    if module is not None:
        data, options = user_input_fields(module)
        newest = max(
            versions,
            key=lambda item: (item["version"]["major"], item["version"]["minor"]),
        )
        for section, expected in (("data", data), ("options", options)):
            if missing := sorted(expected - set(newest[section]["fields"])):
                found.append(
                    f"current version {section}.fields is missing keys stored from "
                    f"user_input ({', '.join(missing)} in version {version(newest)})"
                )
    for kind, sub in entry["subentries"].items():
        found += _unique(sub["versions"], f"config_entry.subentries.{kind}.versions")
    return found

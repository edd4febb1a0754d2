"""The webhook endpoints Bulutfon posts to: call events (classic or Hipcall), and call
routing (BulutfonXM).

Every answer is returned, never raised: Home Assistant turns an exception in a webhook
handler into a 200, which would hide bad input from the sender. Checks run in a fixed order
(credentials, size, body) and nothing is processed unless all pass.
"""

from __future__ import annotations

from collections.abc import Callable
from hmac import compare_digest
from http import HTTPStatus

from aiohttp import BasicAuth, hdrs
from aiohttp.web import Request, RequestPayloadError, Response
from homeassistant.core import HomeAssistant

from .hipcall import parse_hipcall_body
from .line import PhoneLine
from .protocol import MAX_BODY_BYTES, BulutfonEvent, PayloadError, parse_body
from .routing import parse_route_request

_WWW_AUTHENTICATE = 'Basic realm="Bulutfon", charset="UTF-8"'


async def async_handle_webhook(
    line: PhoneLine, hass: HomeAssistant, webhook_id: str, request: Request
) -> Response:
    """Answer one request from Bulutfon (or from anybody who found the URL)."""
    return await _async_handle(line, request, parse_body)


async def async_handle_hipcall_webhook(
    line: PhoneLine, hass: HomeAssistant, webhook_id: str, request: Request
) -> Response:
    """Answer one request from Hipcall: the same checks, Hipcall's parser.

    Hipcall marks a webhook "Broken" after a few 5xx, so nothing here raises: a body that
    is no Hipcall envelope is a 400, an event that is not about a call (a contact, a task)
    a 200 that changes nothing.
    """
    return await _async_handle(line, request, parse_hipcall_body)


async def _async_handle(
    line: PhoneLine,
    request: Request,
    parse: Callable[[bytes, str | None], BulutfonEvent | None],
) -> Response:
    """The door both platforms share: the checks, the platform's parser, the line."""
    body = await _async_read_checked(line, request)
    if isinstance(body, Response):
        return body
    try:
        event = parse(body, request.headers.get(hdrs.CONTENT_TYPE))
    except PayloadError as err:
        return _reject(line, HTTPStatus.BAD_REQUEST, str(err))
    if event is not None:
        line.async_process(event)
    return Response(status=HTTPStatus.OK)


async def async_handle_routing(
    line: PhoneLine, hass: HomeAssistant, webhook_id: str, request: Request
) -> Response:
    """Answer one BulutfonXM request: where an incoming call goes, as a BFON document.

    The same checks as the events webhook; past them the answer is always 200 with a
    complete document, whatever the routing script does.
    """
    body = await _async_read_checked(line, request)
    if isinstance(body, Response):
        return body
    try:
        call = parse_route_request(body, request.headers.get(hdrs.CONTENT_TYPE))
    except PayloadError as err:
        return _reject(line, HTTPStatus.BAD_REQUEST, str(err))
    router = line.router
    if router is None:  # routing was turned off while this request was in flight
        return _reject(line, HTTPStatus.NOT_FOUND, "routing is off")
    document = await router.async_answer(call)
    return Response(
        status=HTTPStatus.OK, body=document, content_type="application/json"
    )


async def _async_read_checked(line: PhoneLine, request: Request) -> bytes | Response:
    """Both doors' checks, in order: credentials (401), size (413), a readable body (400).

    Returns the body, or the answer to give when a check fails.
    """
    settings = line.settings
    if settings.username is not None and not _authorized(
        request.headers.get(hdrs.AUTHORIZATION), settings.username, settings.password
    ):
        return await _refuse(
            line,
            request,
            HTTPStatus.UNAUTHORIZED,
            "missing or wrong credentials",
            {hdrs.WWW_AUTHENTICATE: _WWW_AUTHENTICATE},
        )
    length = getattr(request, "content_length", None)
    if length is not None and length > MAX_BODY_BYTES:
        return await _refuse(
            line, request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large"
        )
    body = bytearray()
    try:
        while len(body) <= MAX_BODY_BYTES:
            chunk = await request.content.read(MAX_BODY_BYTES + 1 - len(body))
            if not chunk:
                break
            body += chunk
    except RequestPayloadError:
        # A body whose Content-Encoding does not decode: a 400, not an exception that
        # Home Assistant would log with a traceback and answer with 200.
        return _undecodable(line, request)
    if len(body) > MAX_BODY_BYTES:
        return await _refuse(
            line, request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large"
        )
    return bytes(body)


async def _refuse(
    line: PhoneLine,
    request: Request,
    status: HTTPStatus,
    reason: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Refuse a request whose body was not read (wholly); its content is never looked at.

    What is left of the body is read and dropped, up to the size limit, before answering.
    Otherwise aiohttp reads it after the answer, and a body that does not decode (a
    Content-Encoding that lies) makes it log an "Unhandled exception" traceback there.
    """
    try:
        left = MAX_BODY_BYTES + 1
        while left > 0 and (chunk := await request.content.read(left)):
            left -= len(chunk)
    except RequestPayloadError:
        response = _undecodable(line, request, status, reason)
        response.headers.update(headers or {})
        return response
    return _reject(line, status, reason, headers)


def _undecodable(
    line: PhoneLine,
    request: Request,
    status: HTTPStatus = HTTPStatus.BAD_REQUEST,
    reason: str = "body could not be read",
) -> Response:
    """Answer a request whose body failed to decode, and close its connection.

    aiohttp's parser stops at the error and feeds this body nothing more, but leaves it
    unfinished: after the answer aiohttp would read it again, get the same error and log
    it as an unhandled exception. Marking it finished avoids that; the connection, whose
    parser is now broken, is closed after the answer.
    """
    request.content.feed_eof()
    response = _reject(line, status, reason)
    response.force_close()
    return response


def _authorized(header: str | None, username: str, password: str | None) -> bool:
    """Check HTTP Basic credentials in constant time (for equal-length inputs)."""
    if not header:
        return False
    try:
        given = BasicAuth.decode(header, encoding="utf-8")
    except ValueError:
        return False
    # Both comparisons always run, so timing does not tell which part was wrong.
    user_ok = compare_digest(given.login.encode(), username.encode())
    password_ok = compare_digest(given.password.encode(), (password or "").encode())
    return user_ok & password_ok


def _reject(
    line: PhoneLine,
    status: HTTPStatus,
    reason: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Answer with a short plain message; the line counts and logs it."""
    line.async_reject(status, reason)
    return Response(status=status, text=reason, headers=headers)

"""URLs: the `id` converter every route with an id uses, and the links shown to people."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.routing import IntegerConverter

from plc.database import MAX_ID


def _digits_up_to(largest: int) -> str:
    """A regular expression for the numbers 1 to `largest`, written without leading zeros."""
    top = str(largest)
    shorter = [rf"[1-9]\d{{0,{len(top) - 2}}}"] if len(top) > 1 else []
    same_length = []
    for i, digit in enumerate(top):  # below `top` from digit i on, equal before it
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            rest = len(top) - i - 1
            same_length.append(f"{top[:i]}[{lowest}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    return "|".join([*shorter, *same_length, top])


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id, 1 to MAX_ID. Anything else (negative, zero, too large) matches no
    route at all, so it is a 404 (not a database error, nor a 405 where another method's route
    shares the path)."""

    regex = f"(?:{_digits_up_to(MAX_ID)})"

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def id_arg(text: str) -> int:
    """A row id in a query string (`request.args.get(..., type=id_arg)`): a value out of range is dropped."""
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{text} is not an id")
    return value


def public_url(endpoint: str, **values) -> str:
    """An absolute link to share (QR codes, invites): PLC_PUBLIC_URL when set, else this server's address."""
    base = current_app.config["PUBLIC_URL"] or _host_url()
    return base.rstrip("/") + url_for(endpoint, **values)


def _host_url() -> str:
    """The address this request came to, when it can be trusted: with PLC_ALLOWED_HOSTS set, Flask
    refuses any other Host (TRUSTED_HOSTS); without it, only a loopback name or an IP address is taken
    from the request. Any other name, which anybody can put in a Host header, gives way to the name
    the server itself was started with."""
    if current_app.config["TRUSTED_HOSTS"] or _is_address(request.host):
        return request.host_url
    name, port = request.environ["SERVER_NAME"], request.environ["SERVER_PORT"]
    default_port = {"http": "80", "https": "443"}.get(request.scheme)
    return f"{request.scheme}://{name}{'' if port == default_port else f':{port}'}/"


def _is_address(host: str) -> bool:
    """localhost, or an IP address (with or without a port)."""
    try:
        parts = urlsplit(f"//{host}")
        parts.port  # noqa: B018  (a port that is not a number raises ValueError)
    except ValueError:
        return False
    name = parts.hostname or ""
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True

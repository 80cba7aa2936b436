from flask import current_app, request, url_for


def public_url(endpoint: str, **values) -> str:
    """An absolute link to share (QR codes, invites): PLC_PUBLIC_URL when set, else the host asked on."""
    base = current_app.config["PUBLIC_URL"] or request.host_url
    return base.rstrip("/") + url_for(endpoint, **values)

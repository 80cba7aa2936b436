"""Sessions: Flask's signed cookies, opened without the signature machinery when a request
carries no session cookie. Every Socket.IO event runs in a request context made from its
connection's environ, whose cookie the live room drops once the seat is taken
(plc/meetings/events.py): building a signing serializer for each event cost more than the
event's own checks."""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

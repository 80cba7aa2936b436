"""Real Socket.IO clients for the district tests (python-socketio), and phones that join over HTTP."""
from __future__ import annotations

import re
import threading
import time

import requests
import socketio

WAIT_SECONDS = 10
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Recorder:
    """A python-socketio client that records every event it receives, to wait on.
    With `reconnect`, it connects again by itself when its server goes away, as a phone's client does."""

    def __init__(self, name: str, reconnect: bool = False):
        self.name = name
        self.sio = socketio.Client(reconnection=reconnect, reconnection_delay=0.2, reconnection_delay_max=1,
                                   randomization_factor=0.2)
        self.events: list[tuple[str, object]] = []
        self.connects = 0
        self._changed = threading.Condition()

        @self.sio.on("*")
        def record(event, *args):
            data = args[0] if args else None
            # News a room set off at once may come as one `batch` of [event, payload] pairs,
            # which the browser hands to each event's own handlers: recorded as they would be.
            items = data if event == "batch" else [(event, data)]
            with self._changed:
                self.events.extend((name, payload) for name, payload in items)
                self._changed.notify_all()

        @self.sio.event
        def connect():
            with self._changed:
                self.connects += 1
                self._changed.notify_all()

    def connect(self, url: str, cookies: dict[str, str] | str, meeting_id: int, transports=("websocket",)) -> None:
        """Connect with these cookies (a dict, or the app's session cookie's value alone)."""
        if isinstance(cookies, str):
            cookies = {"session": cookies}
        header = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.sio.connect(url, headers={"Cookie": header}, auth={"meeting_id": meeting_id},
                         transports=list(transports), wait_timeout=WAIT_SECONDS)

    def call(self, event: str, data=None, timeout: float = WAIT_SECONDS):
        return self.sio.call(event, data, timeout=timeout)

    def wait_for(self, event: str, matches=lambda data: True, after: int = 0, seconds: float = WAIT_SECONDS):
        """The first `event` (from the `after`-th one recorded on) whose data matches, waiting for it."""
        deadline = time.monotonic() + seconds
        with self._changed:
            while True:
                for name, data in self.events[after:]:
                    if name == event and matches(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [name for name, _ in self.events[after:]]
                    last = next((data for name, data in reversed(self.events[after:]) if name == event), None)
                    raise AssertionError(f"{self.name} got no matching {event!r} in {seconds} s; got {seen}; "
                                         f"the last {event!r}: {last}")
                self._changed.wait(left)

    def mark(self) -> int:
        """Where the events recorded so far end (for wait_for's `after`)."""
        with self._changed:
            return len(self.events)

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


def close_all(*clients: Recorder) -> None:
    """Disconnect side by side: websocket-client waits up to 3 s for each close handshake."""
    threads = [threading.Thread(target=client.close) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_SECONDS)


def csrf_token(http: requests.Session, url: str) -> str:
    page = http.get(url, timeout=WAIT_SECONDS)
    assert page.status_code == 200, page.text[:500]
    return CSRF_META.search(page.text).group(1)


def join_over_http(base_url: str, code: str, name: str, role: str = "classroom_teacher") -> requests.Session:
    """A phone that opens the join page and joins with the code, as a person does: its cookies hold its seat."""
    http = requests.Session()
    token = csrf_token(http, base_url + "/join")
    joined = http.post(base_url + "/join", data={"csrf_token": token, "code": code, "name": name, "role": role},
                       timeout=WAIT_SECONDS, allow_redirects=False)
    assert joined.status_code == 302, joined.text[:1000]
    return http

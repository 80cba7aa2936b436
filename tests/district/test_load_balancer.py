"""The district set-up run for real (deploy/district.py): HAProxy (deploy/haproxy.cfg) in front
of 2 app processes (`python wsgi.py`, gevent), Redis, PostgreSQL and a separate task-queue worker.

Phones join through the load balancer over HTTP, as people do, and talk to the app through it
with real Socket.IO clients. Each is pinned to a process by HAProxy's sticky cookie (plc_server),
which the load balancer itself sets on the first response.
"""
from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import dataclass, field

import pytest
from PIL import Image, ImageDraw, ImageFont
from socketio import exceptions as socketio_exceptions

from plc.extensions import db
from plc.meetings import services
from plc.meetings.models import Meeting, Response
from plc.protocols import load_protocols
from plc.sort import commands, queries
from plc.sort.models import Move, Sort
from plc.work.models import WorkSample
from tests.conftest import gen_task, gen_team, gen_user
from tests.district.conftest import district_set_up, logs_on_failure, make_pg_app
from tests.district.live import WAIT_SECONDS, Recorder, close_all, csrf_token, join_over_http

STICKY_COOKIE = "plc_server"  # deploy/haproxy.cfg
BACK_WITHIN_SECONDS = 10
READ_WITHIN_SECONDS = 45  # the worker's first job loads the OCR engine
GROUPS = ["Counts on", "Makes a ten", "Skip counts"]


@dataclass
class Seeded:
    """What the tests' meetings are, made in-process in the district's database."""

    facilitator_cookie: str
    meetings: dict[str, dict] = field(default_factory=dict)  # "answers", "upload", "sort"


def _step(meeting: Meeting, activity: str, board: str | None = None) -> int:
    return next(i for i, s in enumerate(meeting.agenda)
                if s["activity"] == activity and (board is None or s.get("board") == board))


@pytest.fixture
def seeded(district_db, tmp_path) -> Seeded:
    """A team with three running meetings: one on an answers step, one on the upload step and one
    on the Work Sort board (a task with 8 samples, sorted into GROUPS)."""
    app = make_pg_app(district_db, tmp_path)
    with app.app_context():
        protocols = load_protocols(app.config["PROTOCOLS_DIR"])
        facilitator = gen_user(name="Fran Facilitator")
        team = gen_team(facilitator)
        signer = app.session_interface.get_signing_serializer(app)
        result = Seeded(facilitator_cookie=signer.dumps({"_user_id": str(facilitator.id), "_fresh": True}))
        for key, protocol, activity, board in (("answers", "doing-math-together", "responses", None),
                                               ("upload", "work-sort", "upload", None),
                                               ("sort", "work-sort", "sort", "sort")):
            task = gen_task(team, title=f"Apple boxes ({key})")
            cards = []
            if key == "sort":
                samples = [WorkSample(team_id=team.id, task_id=task.id, student_label=f"S{n:02d}", source_kind="jpeg",
                                      status="done", ocr_text=f"84 / 6 = 14 ({n})") for n in range(1, 9)]
                db.session.add_all(samples)
                db.session.commit()
                cards = [s.id for s in samples]
            meeting = services.start_meeting(team, task, facilitator, protocols, [protocol])
            services.goto_step(meeting, _step(meeting, activity, board))
            entry = {"meeting_id": meeting.id, "code": meeting.code, "cards": cards}
            if key == "sort":
                sort = commands.sort_for_meeting(meeting)
                entry["sort_id"] = sort.id
                entry["groups"] = [commands.add_group(sort, name, "Fran", can_control=True).id for name in GROUPS]
            result.meetings[key] = entry
        db.session.remove()
        db.engine.dispose()
    return result


def phone_on(district, meeting: dict, name: str, server: str, reconnect: bool = False,
             transports=("websocket",)) -> Recorder:
    """A phone that joins `meeting` through HAProxy and connects its socket to the app process
    `server` ("app1", "app2") by way of HAProxy's sticky cookie."""
    http = join_over_http(district.url, meeting["code"], name)
    assert http.cookies.get(STICKY_COOKIE) in ("app1", "app2"), "HAProxy set no sticky cookie"
    phone = Recorder(f"{name} on {server}", reconnect=reconnect)
    phone.http = http
    phone.connect(district.url, {**http.cookies.get_dict(), STICKY_COOKIE: server}, meeting["meeting_id"],
                  transports=transports)
    phone.wait_for("state")
    return phone


def served_by(district, sid: str) -> list[str]:
    """Which app processes served an Engine.IO session: those whose logs have its requests (a
    websocket's is logged when it closes)."""
    def found():
        return [app.name for app in district.apps if f"sid={sid}" in app.log.read_text(errors="replace")]

    deadline = time.monotonic() + WAIT_SECONDS
    while not found() and time.monotonic() < deadline:
        time.sleep(0.1)
    return found()


def test_a_meeting_joined_through_the_load_balancer_works_across_both_processes(district, seeded):
    meeting = seeded.meetings["answers"]
    facilitator, ana, ben = Recorder("facilitator"), None, None
    try:
        with logs_on_failure(*district.servers):
            # Long-polling first, as a browser starts: every request must reach the same process.
            ana = phone_on(district, meeting, "Ana", "app1", transports=("polling", "websocket"))
            ben = phone_on(district, meeting, "Ben", "app2", transports=("polling", "websocket"))
            facilitator.connect(district.url, seeded.facilitator_cookie, meeting["meeting_id"])
            facilitator.wait_for("state")

            ack = ana.call("response:add", {"text": "Counts by sixes"})
            assert ack["ok"] is True
            for client in (ben, facilitator):
                upsert = client.wait_for("response:upsert", lambda r: r["id"] == ack["id"])
                assert upsert["text"] == "Counts by sixes" and upsert["author"] == "Ana"
            ack = ben.call("response:add", {"text": "Groups of six"})
            assert ack["ok"] is True
            assert ana.wait_for("response:upsert", lambda r: r["id"] == ack["id"])["author"] == "Ben"

            # The facilitator's control reaches phones on both processes.
            assert facilitator.call("timer:start") == {"ok": True}
            for phone in (ana, ben):
                assert phone.wait_for("state", lambda s: s["timer"]["running"])["step"]["pos"] == \
                    facilitator.wait_for("state")["step"]["pos"]

            # Each phone's requests, long-polling and the upgrade to a websocket, all went to its own process.
            sessions = {"app1": ana.sio.eio.sid, "app2": ben.sio.eio.sid}
            close_all(ana, ben)
            for server, sid in sessions.items():
                assert served_by(district, sid) == [server]
    finally:
        close_all(*(c for c in (facilitator, ana, ben) if c is not None))


def _photo_of_work() -> bytes:
    """A small picture of a student's written answer."""
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 64)
    except OSError:
        font = ImageFont.load_default()
    draw.text((40, 150), "84 / 6 = 14 boxes", fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_an_upload_is_read_by_the_worker_and_reaches_phones_on_both_processes(district, seeded, tmp_path):
    meeting = seeded.meetings["upload"]
    cy, dee = None, None
    try:
        with logs_on_failure(*district.servers):
            cy = phone_on(district, meeting, "Cy", "app1")
            dee = phone_on(district, meeting, "Dee", "app2")
            headers = {"X-CSRFToken": csrf_token(cy.http, district.url + "/join")}
            posted = cy.http.post(f"{district.url}/live/{meeting['meeting_id']}/work", headers=headers,
                                  files={"files": ("work.jpg", _photo_of_work(), "image/jpeg")},
                                  data={"labels": ["S1"]}, timeout=WAIT_SECONDS)
            assert posted.status_code == 200, posted.text[:1000]
            sample_id = posted.json()["results"][0]["samples"][0]["id"]
            # The app processes run no worker (PLC_START_WORKER=0): only the separate one reads it.
            # Read, it waits for a person to check that its top line names no student ("check"),
            # or it is done: either way both processes' phones hear it.
            for phone in (cy, dee):
                phone.wait_for("work:sample", lambda s: s["id"] == sample_id and s["status"] in ("done", "check"),
                               seconds=READ_WITHIN_SECONDS)
            with make_pg_app(district.database_url, tmp_path).app_context():
                read = db.session.get(WorkSample, sample_id)
                # Waiting for its check, the text is kept as words only (plc/work/processing.py).
                assert "14" in (read.ocr_text or json.dumps(read.ocr_words)), read.ocr_words
                db.session.remove()
                db.engine.dispose()
    finally:
        close_all(*(c for c in (cy, dee) if c is not None))


# --- failover ------------------------------------------------------------------------

CALL_SECONDS = 3  # a call whose process died gets no answer: the phone tries its next one
RUN_AFTER_KILL = 3  # acknowledged events each phone makes on the other process after the kill


class Phone(threading.Thread):
    """A phone that keeps sending, as a room does, until told to stop: what the server
    acknowledged is kept; a call left unanswered (its process died) is only counted."""

    def __init__(self, client: Recorder):
        super().__init__(daemon=True)
        self.client = client
        self.acked: list = []
        self.unanswered = 0
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                if not self.client.sio.connected:
                    time.sleep(0.05)
                    continue
                try:
                    self.send_one()
                except (socketio_exceptions.TimeoutError, socketio_exceptions.BadNamespaceError,
                        socketio_exceptions.DisconnectedError):
                    self.unanswered += 1
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001  (reported by the test)
            self.error = exc

    def send_one(self) -> None:
        raise NotImplementedError


class Answerer(Phone):
    def send_one(self) -> None:
        text = f"{self.client.name} answer {len(self.acked) + self.unanswered + 1}"
        ack = self.client.call("response:add", {"text": text}, timeout=CALL_SECONDS)
        assert ack["ok"] is True, ack
        self.acked.append((ack["id"], text))


class Mover(Phone):
    """Moves its own card round the groups: nobody else moves it, so no move of it conflicts,
    unless one that its dead process stored went unanswered (then it asks for the card's version)."""

    def __init__(self, client: Recorder, card: int, groups: list[int]):
        super().__init__(client)
        self.card, self.groups, self.version = card, groups, 0

    def send_one(self) -> None:
        to_group = self.groups[(self.version + 1) % len(self.groups)]
        ack = self.client.call("sort:move", {"sample_id": self.card, "group_id": to_group, "index": 0,
                                             "card_version": self.version}, timeout=CALL_SECONDS)
        if ack["ok"]:
            self.version += 1
            self.acked.append((self.version, to_group))
            return
        assert "conflict" in ack, ack
        board = self.client.call("sort:sync", timeout=CALL_SECONDS)["sort"]
        self.version = board["cards"][str(self.card)]["version"]


def _view_of_answers(phone: Recorder) -> set[int]:
    """The answers a phone shows: the state of its last connect, and every answer added since."""
    start = max(i for i, (name, _) in enumerate(phone.events) if name == "state")
    ids = {r["id"] for r in phone.events[start][1]["responses"]}
    return ids | {data["id"] for name, data in phone.events[start:] if name == "response:upsert"}


def _view_of_board(phone: Recorder) -> dict:
    """The board a phone shows: its last connect's state, and each move since, in revision order."""
    start = max(i for i, (name, data) in enumerate(phone.events) if name == "state" and data.get("sort"))
    board = phone.events[start][1]["sort"]
    columns = {c["group_id"]: c["sample_ids"] for c in board["columns"]}
    moves = sorted((data for name, data in phone.events[start:] if name == "sort:moved"), key=lambda m: m["revision"])
    for moved in moves:
        if moved["revision"] > board["revision"]:
            columns.update({c["group_id"]: c["sample_ids"] for c in moved["columns"]})
    return columns


def _until_equal(client: Recorder, what: str, seen, truth) -> None:
    """Wait for a phone's view (seen()) to be the database's (truth()): events may still be on their way."""
    deadline = time.monotonic() + WAIT_SECONDS
    while seen() != truth() and time.monotonic() < deadline:
        time.sleep(0.1)
    recent = [(name, data.get("id") if isinstance(data, dict) else None) for name, data in client.events[-12:]]
    assert seen() == truth(), f"{client.name}'s {what} differ from the database's; its last events: {recent}"


def test_killing_an_app_process_mid_meeting_loses_nothing_acknowledged_and_its_phones_carry_on(
        district_db, redis_server, postgres, seeded, tmp_path):
    answers, board = seeded.meetings["answers"], seeded.meetings["sort"]
    with district_set_up(district_db, redis_server, postgres, tmp_path) as district:
        clients: list[Recorder] = []
        phones: list[Phone] = []
        try:
            with logs_on_failure(*district.servers):
                for n, server in enumerate(("app1", "app1", "app2")):
                    client = phone_on(district, answers, f"Answerer {n + 1}", server, reconnect=True)
                    clients.append(client)
                    phones.append(Answerer(client))
                for n, server in enumerate(("app1", "app1", "app2")):
                    client = phone_on(district, board, f"Mover {n + 1}", server, reconnect=True)
                    client.wait_for("state", lambda s: s.get("sort"))
                    clients.append(client)
                    phones.append(Mover(client, board["cards"][n], board["groups"]))
                seats = {c.name: c.wait_for("hello")["participant_id"] for c in clients}
                for phone in phones:
                    phone.start()
                deadline = time.monotonic() + WAIT_SECONDS
                while min(len(p.acked) for p in phones) < 3 and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert min(len(p.acked) for p in phones) >= 3, "the phones could not send before the kill"

                marks = {c.name: c.mark() for c in clients}
                district.apps[0].kill()  # mid-meeting: every phone is sending
                acked_at_kill = {p.client.name: len(p.acked) for p in phones}
                on_app1 = [c for c in clients if c.name.endswith("app1")]
                # Back in the meeting within the bound, in the same seat, with the whole state again.
                for client in on_app1:
                    client.wait_for("state", after=marks[client.name], seconds=BACK_WITHIN_SECONDS)
                    assert client.wait_for("hello", after=marks[client.name])["participant_id"] == seats[client.name]
                # ... and carrying on where they were, on the other process.
                deadline = time.monotonic() + 2 * WAIT_SECONDS
                while (any(len(p.acked) < acked_at_kill[p.client.name] + RUN_AFTER_KILL for p in phones)
                       and time.monotonic() < deadline):
                    time.sleep(0.05)
                for phone in phones:
                    phone.stopping.set()
                for phone in phones:
                    phone.join(timeout=2 * CALL_SECONDS)
                    assert phone.error is None, f"{phone.client.name}: {phone.error!r}"
                    assert len(phone.acked) >= acked_at_kill[phone.client.name] + RUN_AFTER_KILL, phone.client.name

                app = make_pg_app(district.database_url, tmp_path)
                with app.app_context():
                    def stored_answers() -> dict[int, str]:
                        db.session.rollback()  # a fresh look every time
                        rows = db.session.execute(db.select(Response).filter_by(
                            meeting_id=answers["meeting_id"])).scalars().all()
                        return {r.id: r.text for r in rows}

                    def stored_board() -> dict:
                        db.session.rollback()
                        return queries.columns(db.session.get(Sort, board["sort_id"]))

                    stored = stored_answers()
                    for phone in phones[:3]:
                        for response_id, text in phone.acked:
                            assert stored.get(response_id) == text, f"{phone.client.name}'s acknowledged answer lost"
                    for phone in phones[3:]:
                        db.session.rollback()
                        moves = db.session.execute(db.select(Move).filter_by(sort_id=board["sort_id"],
                                                                            sample_id=phone.card)
                                                   .order_by(Move.id)).scalars().all()
                        for version, to_group in phone.acked:
                            assert moves[version - 1].to_group_id == to_group, \
                                f"{phone.client.name}'s acknowledged move {version} lost"
                    for client in clients[:3]:
                        _until_equal(client, "answers", lambda: _view_of_answers(client), lambda: set(stored_answers()))
                    for client in clients[3:]:
                        _until_equal(client, "board", lambda: _view_of_board(client), stored_board)
                    db.session.remove()
                    db.engine.dispose()
        finally:
            for phone in phones:
                phone.stopping.set()
            close_all(*clients)

"""A room's news that comes together goes out together (plc/realtime/batching.py): the first
answer after a quiet spell at once, the ones that follow within the window as one `batch`, in
order, and always before the room's next state."""
import time

import pytest

from plc.realtime.batching import BATCH_EVENT, outbox
from tests.conftest import join_as, live_client, wait_for
from tests.meetings.test_live import goto_step

WINDOW = 1.0  # long enough that the test's own emits all fall inside it, even on a busy machine


@pytest.fixture
def answering(app, room):
    app.config["LIVE_BATCH_SECONDS"] = WINDOW
    outbox.init_app(app)
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phones = [live_client(app, join_as(app, meeting, name), meeting) for name in ("Ana", "Ben", "Cy")]
    assert projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True) == {"ok": True}
    time.sleep(WINDOW)  # the room is quiet again
    for client in (projector, *phones):
        client.clear()
    return projector, phones


def news(client) -> list[tuple[str, object]]:
    """What the client heard of answers, in order, with batches opened, and each message's kind."""
    heard = []
    for event in client.events():
        if event["name"] == BATCH_EVENT:
            heard += [(name, payload, "batch") for name, payload in event["args"][0]]
        elif event["name"].startswith("response:") or event["name"] == "state":
            heard.append((event["name"], event["args"][0], "alone"))
    return heard


def test_answers_sent_together_reach_every_screen_as_one_batch_in_order(answering):
    projector, phones = answering
    ids = [phone.emit("response:add", {"text": f"Answer {n}"}, callback=True)["id"] for n, phone in enumerate(phones)]

    first = [(name, p["text"], how) for name, p, how in news(projector) if name == "response:upsert"]
    assert first == [("response:upsert", "Answer 0", "alone")]  # after a quiet spell: at once
    wait_for(lambda: len(news(projector)) == 3)
    for client in (projector, *phones):
        heard = [(name, p["id"], how) for name, p, how in news(client) if name == "response:upsert"]
        assert heard == [("response:upsert", ids[0], "alone"), ("response:upsert", ids[1], "batch"),
                         ("response:upsert", ids[2], "batch")]
        assert sum(1 for e in client.events() if e["name"] == BATCH_EVENT) == 1


def test_a_withdrawal_and_a_step_change_never_overtake_the_answers_before_them(answering, room):
    projector, (ana, ben, _) = answering
    ana.emit("response:add", {"text": "Opens the window"}, callback=True)
    draft = ben.emit("response:add", {"text": "Draft"}, callback=True)["id"]
    ben.emit("response:withdraw", {"id": draft}, callback=True)
    # The step changes inside the window: what waited goes first, then the new state.
    assert projector.emit("step:goto", {"pos": goto_step(room, "responses") + 1}, callback=True) == {"ok": True}

    heard = [(name, how) for name, _, how in news(projector)]
    assert heard == [("response:upsert", "alone"), ("response:upsert", "batch"), ("response:removed", "batch"),
                     ("state", "alone")]
    time.sleep(WINDOW * 1.5)
    assert len(news(projector)) == 4  # nothing was sent twice


def test_answers_seconds_apart_each_go_at_once(app, answering):
    projector, (ana, ben, _) = answering
    app.config["LIVE_BATCH_SECONDS"] = 0.05
    outbox.init_app(app)
    ana.emit("response:add", {"text": "First"}, callback=True)
    time.sleep(0.1)
    ben.emit("response:add", {"text": "Second"}, callback=True)
    assert [(p["text"], how) for _, p, how in news(projector)] == [("First", "alone"), ("Second", "alone")]



def test_a_room_answering_all_at_once_gets_longer_windows_until_it_calms(answering):
    projector, phones = answering
    burst = [phone for phone in phones for _ in range(2)]  # 6 answers: one at once, a batch of 5
    for n, phone in enumerate(burst):
        phone.emit("response:add", {"text": f"Burst {n}"}, callback=True)
    wait_for(lambda: len(news(projector)) == len(burst))
    assert [how for _, _, how in news(projector)] == ["alone"] + ["batch"] * (len(burst) - 1)
    projector.clear()

    # Past one window after that batch but inside two: a bursting room holds the answer back.
    time.sleep(WINDOW * 1.25)
    phones[0].emit("response:add", {"text": "Held back"}, callback=True)
    assert news(projector) == []
    wait_for(lambda: len(news(projector)) == 1)
    projector.clear()

    # That small batch calmed the room: after one window, an answer goes at once again.
    time.sleep(WINDOW * 1.25)
    phones[1].emit("response:add", {"text": "At once"}, callback=True)
    assert [(name, p["text"]) for name, p, _ in news(projector)] == [("response:upsert", "At once")]

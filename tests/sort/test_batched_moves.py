"""Card moves made together go out together (plc/realtime/batching.py), in revision order, and
before the whole sort that follows them."""
import time

from plc.realtime.batching import BATCH_EVENT, outbox
from tests.conftest import join_as, live_client
from tests.realtime.test_batching import WINDOW
from tests.sort.test_events import add_groups, move


def test_card_moves_made_together_reach_every_board_as_one_batch_before_the_next_whole_sort(app, board):
    meeting = board["meeting"]
    projector = live_client(app, board["http"], meeting)
    ana, ben = (live_client(app, join_as(app, meeting, name), meeting) for name in ("Ana", "Ben"))
    groups = add_groups(projector, "Counts on", "Makes a ten")
    app.config["LIVE_BATCH_SECONDS"] = WINDOW
    outbox.init_app(app)
    time.sleep(WINDOW)
    for client in (projector, ana, ben):
        client.clear()
    ids = [s.id for s in board["samples"]]

    for n, phone in enumerate((ana, ben, ana)):
        assert phone.emit("sort:move", move(ids[n], groups[n % 2]), callback=True)["ok"] is True
    assert projector.emit("sort:group:add", {"name": "Skip counts"}, callback=True)["ok"] is True

    for client in (projector, ana, ben):
        heard = []
        for event in client.events():
            if event["name"] == BATCH_EVENT:
                heard += [(name, payload["revision"], "batch") for name, payload in event["args"][0]]
            elif event["name"] in ("sort:moved", "sort"):
                heard.append((event["name"], event["args"][0]["revision"], "alone"))
        revisions = [revision for _, revision, _ in heard]
        assert [(name, how) for name, _, how in heard] == [
            ("sort:moved", "alone"), ("sort:moved", "batch"), ("sort:moved", "batch"), ("sort", "alone")]
        assert revisions == sorted(revisions) and len(set(revisions)) == 4

"""Group notes typed by several people at once (plc/sort/coedit.py): every client's Yjs updates
merge on the server, reach the others, and the note's column keeps the merged plain text."""
import base64

from pycrdt import Doc, Text

from plc.extensions import db
from plc.sort import coedit
from plc.sort.models import SortGroup
from tests.conftest import events_named, live_client
from tests.sort.conftest import connect_phone
from tests.sort.test_events import add_groups

DESCRIBE_STEP = 4  # the sort's "name groups" step: notes are written here


class NoteEditor:
    """One person's copy of a note, as the browser keeps it (a Yjs document)."""

    def __init__(self, client, group_id, field="showing"):
        self.client, self.group_id, self.field = client, group_id, field
        ack = client.emit("sort:note:sync", {"group_id": group_id, "field": field}, callback=True)
        assert ack["ok"] is True, ack
        self.doc_id, self.doc = ack["doc_id"], Doc()
        self.doc.apply_update(base64.b64decode(ack["state"]))
        self.seen = len(events_named(client, "sort:note"))

    @property
    def text(self) -> str:
        return str(self.doc.get("text", type=Text))

    def type(self, at: int, words: str) -> dict:
        before = self.doc.get_state()
        self.doc.get("text", type=Text).insert(at, words)
        return self.send(self.doc.get_update(before))

    def send(self, update: bytes) -> dict:
        return self.client.emit("sort:note:update", {"group_id": self.group_id, "field": self.field,
                                                     "doc_id": self.doc_id,
                                                     "update": base64.b64encode(update).decode()}, callback=True)

    def catch_up(self) -> "NoteEditor":
        edits = events_named(self.client, "sort:note")
        for edit in edits[self.seen:]:
            self.doc.apply_update(base64.b64decode(edit["update"]))
        self.seen = len(edits)
        return self


def stored(group_id, field="showing") -> str:
    db.session.expire_all()
    return getattr(db.session.get(SortGroup, group_id), field)


def describing(app, board):
    meeting = board["meeting"]
    projector = live_client(app, board["http"], meeting)
    [group] = add_groups(projector, "Counts on")
    assert projector.emit("step:goto", {"pos": DESCRIBE_STEP}, callback=True) == {"ok": True}
    return projector, connect_phone(app, meeting, "Ana"), connect_phone(app, meeting, "Ben"), group


def test_two_people_typing_in_one_note_at_once_keep_both_their_words(app, board):
    projector, ana_client, ben_client, group = describing(app, board)
    ana, ben, watcher = NoteEditor(ana_client, group), NoteEditor(ben_client, group), NoteEditor(projector, group)

    # Both type at the start of the same empty note before seeing each other's words.
    assert ana.type(0, "They count on from the larger number. ")["ok"] is True
    assert ben.type(0, "Some draw all the dots. ")["ok"] is True
    for editor in (ana, ben, watcher):
        editor.catch_up()

    assert ana.text == ben.text == watcher.text == stored(group)
    assert "They count on from the larger number. " in ana.text and "Some draw all the dots. " in ana.text
    assert events_named(ana_client, "sort:note")[-1]["group_id"] == group  # ana's own edits never come back
    assert len(events_named(ana_client, "sort:note")) == 1


def test_a_client_that_comes_later_gets_the_whole_note_and_a_new_document_starts_from_the_text(app, board):
    projector, ana_client, ben_client, group = describing(app, board)
    ana = NoteEditor(ana_client, group)
    ana.type(0, "Skip counts by twos.")
    assert NoteEditor(ben_client, group).text == "Skip counts by twos."

    coedit.forget(group)  # the server dropped its document (restart, or many notes since)
    fresh = NoteEditor(projector, group)
    assert fresh.text == "Skip counts by twos." and fresh.doc_id != ana.doc_id
    stale = ana.type(0, "Often ")
    assert stale == {"ok": False, "error": "This note was reloaded; go on typing.", "reload": True}
    assert stored(group) == "Skip counts by twos."


def test_bad_or_too_long_note_updates_are_refused_and_change_nothing(app, board):
    projector, ana_client, _, group = describing(app, board)
    ana = NoteEditor(ana_client, group)
    ana.type(0, "Draws groups.")

    assert ana.send(b"not a yjs update")["error"] == "That edit could not be read; the note was reloaded."
    scratch = Doc()
    scratch.apply_update(ana.doc.get_update())
    before = scratch.get_state()
    scratch.get("text", type=Text).insert(0, "x" * 2000)
    too_long = ana.send(scratch.get_update(before))
    assert too_long["error"].startswith("This note is 2,013 characters; the limit is 2,000.")
    huge = ana_client.emit("sort:note:update", {"group_id": group, "field": "showing", "doc_id": ana.doc_id,
                                                "update": "A" * (coedit.MAX_UPDATE_CHARS + 1)}, callback=True)
    assert huge["error"].startswith("Bad request: update")
    unknown = ana_client.emit("sort:note:sync", {"group_id": group, "field": "secret"}, callback=True)
    assert unknown["error"] == "Unknown note."
    assert stored(group) == "Draws groups."
    assert NoteEditor(projector, group).text == "Draws groups."

"""Texts typed by several people at once (plc/sort/coedit.py), a group's notes and a next step's
move: every client's Yjs updates merge on the server, reach the others, and the text's column
keeps the merged plain text."""
import base64

from pycrdt import Doc, Text

from plc.extensions import db
from plc.sort import coedit
from plc.sort.models import TEXT_LIMITS, NextStep, SharedText, SortGroup
from tests.conftest import events_named, live_client
from tests.sort.conftest import CYCLE, connect_phone, first_owner
from tests.sort.test_events import add_groups

DESCRIBE_STEP, NEXT_STEPS_STEP = 4, 6  # the sort's "name groups" step (notes) and its next steps


class NoteEditor:
    """One person's copy of a shared text, as the browser keeps it (a Yjs document)."""

    def __init__(self, client, row_id, field="showing", kind="group"):
        self.client, self.name = client, {"kind": kind, "id": row_id, "field": field}
        ack = client.emit("sort:text:sync", self.name, callback=True)
        assert ack["ok"] is True, ack
        self.doc_id, self.doc = ack["doc_id"], Doc()
        self.doc.apply_update(base64.b64decode(ack["state"]))
        self.seen = len(events_named(client, "sort:text"))

    @property
    def text(self) -> str:
        return str(self.doc.get("text", type=Text))

    def type(self, at: int, words: str) -> dict:
        before = self.doc.get_state()
        self.doc.get("text", type=Text).insert(at, words)
        return self.send(self.doc.get_update(before))

    def send(self, update: bytes) -> dict:
        return self.client.emit("sort:text:update", {**self.name, "doc_id": self.doc_id,
                                                     "update": base64.b64encode(update).decode()}, callback=True)

    def catch_up(self) -> "NoteEditor":
        edits = events_named(self.client, "sort:text")
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
    assert events_named(ana_client, "sort:text")[-1]["id"] == group  # ana's own edits never come back
    assert len(events_named(ana_client, "sort:text")) == 1


def test_a_client_that_comes_later_gets_the_whole_note_and_a_new_document_starts_from_the_text(app, board):
    projector, ana_client, ben_client, group = describing(app, board)
    ana = NoteEditor(ana_client, group)
    ana.type(0, "Skip counts by twos.")
    assert NoteEditor(ben_client, group).text == "Skip counts by twos."

    coedit.forget("group", group)  # the text was changed another way
    db.session.commit()
    fresh = NoteEditor(projector, group)
    assert fresh.text == "Skip counts by twos." and fresh.doc_id != ana.doc_id
    stale = ana.type(0, "Often ")
    assert stale == {"ok": False, "error": "This text was reloaded; go on typing.", "reload": True}
    assert stored(group) == "Skip counts by twos."


def test_bad_or_too_long_note_updates_are_refused_and_change_nothing(app, board):
    projector, ana_client, _, group = describing(app, board)
    ana = NoteEditor(ana_client, group)
    ana.type(0, "Draws groups.")

    assert ana.send(b"not a yjs update")["error"] == "That edit could not be read; the text was reloaded."
    scratch = Doc()
    scratch.apply_update(ana.doc.get_update())
    before = scratch.get_state()
    scratch.get("text", type=Text).insert(0, "x" * 2000)
    too_long = ana.send(scratch.get_update(before))
    assert too_long["error"].startswith("This note is 2,013 characters; the limit is 2,000.")
    huge = ana_client.emit("sort:text:update", {"kind": "group", "id": group, "field": "showing", "doc_id": ana.doc_id,
                                                "update": "A" * (coedit.MAX_UPDATE_CHARS + 1)}, callback=True)
    assert huge["error"].startswith("Bad request: update")
    for kind, field in (("group", "secret"), ("group", "name"), ("next_step", "showing"), ("sample", "ocr_text")):
        unknown = ana_client.emit("sort:text:sync", {"kind": kind, "id": group, "field": field}, callback=True)
        assert unknown["error"] == "Unknown text."
    assert stored(group) == "Draws groups."
    assert NoteEditor(projector, group).text == "Draws groups."


def planning(app, board):
    """The sort on its next-steps step with one group and one next step; the projector and two phones."""
    projector, ana_client, ben_client, group = describing(app, board)
    assert projector.emit("step:goto", {"pos": NEXT_STEPS_STEP}, callback=True) == {"ok": True}
    step = {"group_id": group, "move": "Number talk", "audience": "small_group",
            "owner": first_owner(projector), **CYCLE}
    assert ana_client.emit("sort:next:add", step, callback=True)["ok"] is True
    [added] = db.session.execute(db.select(NextStep).where(NextStep.group_id == group)).scalars()
    return projector, ana_client, ben_client, step, added.id


def stored_move(step_id) -> str:
    db.session.expire_all()
    return db.session.get(NextStep, step_id).move


def test_two_people_rewording_a_next_step_at_once_keep_both_their_words(app, board):
    projector, ana_client, ben_client, _, step_id = planning(app, board)
    ana, ben = (NoteEditor(client, step_id, "move", kind="next_step") for client in (ana_client, ben_client))
    assert ana.text == "Number talk"

    assert ana.type(len("Number talk"), " on making ten")["ok"] is True
    assert ben.type(0, "Daily ")["ok"] is True
    for editor in (ana, ben):
        editor.catch_up()
    assert ana.text == ben.text == stored_move(step_id) == "Daily Number talk on making ten"
    # The projector, which shows the move without editing it, gets each new text, and no name.
    edit = events_named(projector, "sort:text")[-1]
    assert (edit["kind"], edit["id"], edit["field"], edit["text"]) == ("next_step", step_id, "move", ana.text)
    assert not {"name", "by", "participant_id"} & set(edit)


def test_a_next_step_edited_by_its_form_restarts_its_document_only_when_its_move_changed(app, board):
    projector, ana_client, ben_client, step, step_id = planning(app, board)
    ana = NoteEditor(ana_client, step_id, "move", kind="next_step")
    assert ben_client.emit("sort:next:edit", {**step, "id": step_id, "audience": "whole_class"},
                           callback=True)["ok"] is True
    assert ana.type(0, "Short ")["ok"] is True  # the same move: the document goes on
    assert stored_move(step_id) == "Short Number talk"

    assert ben_client.emit("sort:next:edit", {**step, "id": step_id, "move": "Ten-frame warm-up"},
                           callback=True)["ok"] is True
    assert ana.type(0, "Daily ") == {"ok": False, "error": "This text was reloaded; go on typing.", "reload": True}
    again = NoteEditor(ana_client, step_id, "move", kind="next_step")
    assert again.text == stored_move(step_id) == "Ten-frame warm-up"


def test_a_next_step_move_over_its_limit_is_refused_and_its_notes_documents_go_with_it(app, board):
    projector, ana_client, _, _, step_id = planning(app, board)
    ana = NoteEditor(ana_client, step_id, "move", kind="next_step")
    refused = ana.type(0, "x" * TEXT_LIMITS["move"])
    assert refused["ok"] is False and refused["error"].startswith("The instructional move is 1,011 characters; the limit is 1,000.")
    assert stored_move(step_id) == "Number talk"

    assert db.session.scalar(db.select(db.func.count(SharedText.id))) == 1
    assert ana_client.emit("sort:next:remove", {"id": step_id}, callback=True)["ok"] is True
    assert db.session.scalar(db.select(db.func.count(SharedText.id))) == 0  # (ON DELETE CASCADE)
    gone = ana_client.emit("sort:text:sync", {"kind": "next_step", "id": step_id, "field": "move"}, callback=True)
    assert gone["error"] == "That next step is not part of this sort."


def test_a_text_document_lives_in_the_database_so_any_server_process_merges_into_it(app, board):
    """What one process merged is what the next update, wherever it lands, merges into: the
    document is read from the database at every update, not from a process's memory."""
    projector, ana_client, ben_client, group = describing(app, board)
    ana, ben = NoteEditor(ana_client, group), NoteEditor(ben_client, group)
    ana.type(0, "Counts all. ")
    [row] = db.session.execute(db.select(SharedText)).scalars()
    from_database = Doc()
    from_database.apply_update(row.state)
    assert str(from_database.get("text", type=Text)) == "Counts all. " and row.doc_id == ana.doc_id
    ben.type(0, "Uses tens. ")  # ben never saw ana's words: they still merge
    assert stored(group) in ("Counts all. Uses tens. ", "Uses tens. Counts all. ")

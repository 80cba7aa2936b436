"""Writes that arrive together are committed together (plc/grouped_writes.py), and each still
gets its own row back, or its own error."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.exc import IntegrityError

from plc.extensions import db
from plc import grouped_writes as grouped_writes_module
from plc.grouped_writes import grouped_writes
from plc.meetings.models import Participant, Response
from tests.conftest import join_as, wait_for

WRITERS = 12


@pytest.fixture
def answer(app, room):
    """fn(text, id=None) -> the INSERT of an answer by a participant of the room, and its params."""
    meeting = room["meeting"]
    join_as(app, meeting, "Ana")
    participant_id = db.session.execute(db.select(Participant.id).filter_by(meeting_id=meeting.id)).scalar_one()

    def statement(words: str, response_id: int | None = None):
        values = {"meeting_id": meeting.id, "participant_id": participant_id, "step_pos": 0, "text": words}
        if response_id is not None:
            values["id"] = response_id
        return insert(Response).values(**values).returning(Response.id, Response.text), {}

    return statement


@pytest.fixture
def commits(app):
    """The transactions committed on the app's engine."""
    counted = []

    def count(connection):
        counted.append(connection)

    event.listen(db.engine, "commit", count)
    yield counted
    event.remove(db.engine, "commit", count)


def write_at_once(app, statements) -> list:
    """The first statement, then the others, each from a thread of its own, while another
    connection holds the database: the others queue while the first is being written. Then let
    go. Returns each statement's row or error. The app's writer must not be running yet."""
    results: list = [None] * len(statements)
    writer = grouped_writes()
    assert not writer._running

    def write(n, statement, params):
        with app.app_context():
            try:
                results[n] = grouped_writes().execute(statement, params)
            except Exception as exc:  # what the caller would see
                results[n] = exc

    threads = [threading.Thread(target=write, args=(n, *s)) for n, s in enumerate(statements)]
    with db.engine.connect() as holder:
        holder.execute(text("BEGIN IMMEDIATE"))  # the database's write lock, as a long write would hold it
        threads[0].start()
        wait_for(lambda: writer._running and not writer._waiting)  # the first is being written
        for thread in threads[1:]:
            thread.start()
        wait_for(lambda: len(writer._waiting) == len(statements) - 1)
        holder.execute(text("COMMIT"))
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_a_lone_write_returns_its_row_and_commits_it(app, answer, commits):
    row = grouped_writes().execute(*answer("Groups of six"))
    assert row.text == "Groups of six"
    assert db.session.get(Response, row.id).text == "Groups of six"
    assert len(commits) == 1


def test_writes_that_arrive_while_one_is_written_go_in_one_transaction_each_with_its_own_row(app, answer, commits):
    words = [f"Way {n}" for n in range(WRITERS)]
    rows = write_at_once(app, [answer(w) for w in words])
    assert [r.text for r in rows] == words
    assert len({r.id for r in rows}) == WRITERS
    # The first alone (the writer was busy with it), then all the others together.
    assert len(commits) == 2
    stored = db.session.execute(db.select(Response.id, Response.text)).all()
    assert sorted(stored) == sorted((r.id, r.text) for r in rows)


def test_a_bad_write_fails_alone_and_the_others_of_its_group_land(app, answer, commits):
    with db.engine.begin() as connection:  # not through the writer: it starts in write_at_once
        taken = connection.execute(*answer("First")).first().id
    statements = [answer("Before"), answer("Before, too"), answer("Clash", response_id=taken), answer("After")]
    results = write_at_once(app, statements)
    assert isinstance(results[2], IntegrityError)
    assert [r.text for n, r in enumerate(results) if n != 2] == ["Before", "Before, too", "After"]
    stored = db.session.execute(db.select(Response.text).order_by(Response.id)).scalars().all()
    assert stored == ["First", "Before", "Before, too", "After"]


def test_the_writer_ends_when_idle_and_a_later_write_starts_it_again(app, answer, monkeypatch):
    monkeypatch.setattr(grouped_writes_module, "IDLE_SECONDS", 0.05)
    writer = grouped_writes()
    assert writer.execute(*answer("Before the pause")).text == "Before the pause"
    wait_for(lambda: not writer._running)
    assert writer.execute(*answer("After the pause")).text == "After the pause"
    stored = db.session.execute(db.select(Response.text).order_by(Response.id)).scalars().all()
    assert stored == ["Before the pause", "After the pause"]

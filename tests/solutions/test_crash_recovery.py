"""Teachers' photos of their solutions after a crash: a server that dies between committing a
photo's row and removing the files the row let go of (a replaced photo's, a removed one's), or
between writing new views and committing them, leaves files nobody names. Recovery's sweep - the
one that serves student work (plc/storage.py, run by plc/work/tasks.py) - removes them once they
are older than a lease, and never the files a photo names."""
from __future__ import annotations

import os
from pathlib import Path

from plc import storage
from plc.extensions import db
from plc.solutions import services
from plc.solutions.models import SolutionPhoto
from plc.work.tasks import recover
from tests.conftest import join_as
from tests.solutions.conftest import go_to_solve_step, phone_photo, send_photo, stored_files


def time_passes(hours: float = 1) -> None:
    """Every file on disk looks that much older (longer than any lease)."""
    for path in stored_files():
        then = path.stat().st_mtime - hours * 3600
        os.utime(path, (then, then))


def the_photo() -> SolutionPhoto:
    db.session.expire_all()
    [photo] = db.session.execute(db.select(SolutionPhoto)).scalars().all()
    return photo


def dies_before_removing_files(monkeypatch):
    """The server dies right after its commit: what it was about to remove stays on disk."""
    monkeypatch.setattr(services.storage, "delete", lambda *names: None)


def test_a_replaced_photos_files_left_by_a_crash_go_with_recovery_and_the_new_ones_stay(app, room, monkeypatch):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    phone = join_as(app, meeting, "Ana")
    assert send_photo(phone, meeting, phone_photo(colour="white")).status_code == 200
    old = the_photo().files

    dies_before_removing_files(monkeypatch)
    assert send_photo(phone, meeting, phone_photo(colour="yellow")).status_code == 200
    monkeypatch.undo()
    kept = the_photo().files
    left = [path for path in stored_files() if not any(path == storage.path_of(name) for name in kept)]
    # The replaced photo's views, and the upload itself (in incoming/, shared with student work).
    assert sorted(str(p.relative_to(Path(app.config["UPLOADS_DIR"])).parent) for p in left) == [
        "incoming", "solutions", "solutions"]
    assert all(storage.path_of(name) in left for name in old)

    recover()
    assert all(path.exists() for path in left), "a file a moment old may be about to be named: it stays for a lease"
    time_passes()
    recover()
    assert stored_files() == sorted(storage.path_of(name) for name in kept)


def test_a_removed_photos_files_and_views_never_committed_go_with_recovery(app, room, monkeypatch):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    ana, ben = join_as(app, meeting, "Ana"), join_as(app, meeting, "Ben")
    ana_photo = send_photo(ana, meeting, phone_photo()).get_json()["photo"]
    assert send_photo(ben, meeting, phone_photo(colour="yellow")).status_code == 200
    photos = {p.id: p.files for p in db.session.execute(db.select(SolutionPhoto)).scalars()}
    # A save that died before its commit: views written, no row names them.
    never_committed = [storage.path_of(storage.new_name(services.FOLDER, ".jpg")) for _ in range(2)]
    for path in never_committed:
        path.write_bytes(b"a view of a save that never committed")

    dies_before_removing_files(monkeypatch)
    services.remove_photo(meeting, db.session.get(SolutionPhoto, ana_photo["id"]).participant_id, ana_photo["id"])
    monkeypatch.undo()
    assert all(storage.path_of(name).exists() for name in photos[ana_photo["id"]])

    time_passes()
    recover()
    bens = next(files for photo_id, files in photos.items() if photo_id != ana_photo["id"])
    assert stored_files() == sorted(storage.path_of(name) for name in bens)

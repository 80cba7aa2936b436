"""The same picture (same bytes) uploaded twice to a task: the second is skipped and the answer
says where it already is, unless the uploader keeps it on purpose."""
import io

from plc.extensions import db
from plc.work.models import WorkSample
from tests.conftest import gen_task, gen_team, gen_user, login
from tests.work.test_uploads import jpeg_bytes, stored_files, upload


def test_the_same_picture_twice_is_skipped_by_default_and_kept_on_request(app, client):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    url = f"/tasks/{task.id}/work"
    picture = jpeg_bytes()
    assert upload(client, url, ("a.jpg", picture), labels=["S4"]).status_code == 200
    files_before = stored_files(app)

    again = upload(client, url, ("copy.jpg", picture), labels=["S5"])
    assert again.status_code == 200
    [result] = again.get_json()["results"]
    assert result == {"file": "copy.jpg", "ok": False, "skipped": True, "already_as": "S4",
                      "error": "This picture is already here as S4."}
    assert db.session.query(WorkSample).count() == 1 and stored_files(app) == files_before

    # Another picture, or the same one on another task, is not a duplicate.
    assert upload(client, url, ("b.jpg", jpeg_bytes((800, 1001))))
    other_task = gen_task(task.unit.team, title="Pencil packs")
    assert upload(client, f"/tasks/{other_task.id}/work", ("a.jpg", picture)).get_json()["results"][0]["ok"]

    kept = client.post(url, data={"files": [(io.BytesIO(picture), "copy.jpg")], "labels": ["S5"],
                                  "duplicates": ["keep"]}, content_type="multipart/form-data")
    assert kept.get_json()["results"][0]["ok"]
    samples = db.session.query(WorkSample).filter_by(task_id=task.id).all()
    assert sorted(s.student_label for s in samples if s.content_hash == samples[0].content_hash) == ["S4", "S5"]

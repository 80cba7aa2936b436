"""Teachers' photos in the live room, with a projector and two phones: a photo reaches every
screen as it arrives, without a name where the room shows none, and leaves when removed."""
from plc.meetings.services import goto_step
from tests.conftest import events_named, join_as, live_client
from tests.solutions.conftest import go_to_solve_step, phone_photo, send_photo


def connected(app, room, *names):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phones = [(http, live_client(app, http, meeting)) for http in (join_as(app, meeting, name) for name in names)]
    for client in [projector, *(live for _, live in phones)]:
        client.clear()
    return projector, phones


def test_a_photo_reaches_the_projector_and_the_other_phone_with_its_teachers_name(app, room):
    meeting = room["meeting"]
    pos = go_to_solve_step(meeting)
    projector, [(ana_http, ana), (_, ben)] = connected(app, room, "Ana", "Ben")

    sent = send_photo(ana_http, meeting, phone_photo()).get_json()["photo"]

    for client in (projector, ana, ben):
        [photo] = events_named(client, "solution:photo")
        assert photo == sent and photo["author"] == "Ana"
        assert photo["thumb_url"].startswith(f"/solutions/{photo['id']}/thumb")
    # A screen that (re)connects gets the step's photos in the room's state; a phone learns which is its own.
    again = live_client(app, room["http"], meeting)
    [state] = events_named(again, "state")
    assert state["step"]["pos"] == pos and state["solution_photos"] == [sent]
    assert ana.emit("solutions:get", callback=True) == {"ok": True, "photos": [sent], "mine": sent["id"]}
    assert ben.emit("solutions:get", callback=True)["mine"] is None


def test_on_an_anonymous_step_no_payload_carries_a_name(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting, anonymous=True)
    projector, [(ana_http, ana), (ben_http, ben)] = connected(app, room, "Ana", "Ben")

    send_photo(ana_http, meeting, phone_photo())
    answer = send_photo(ben_http, meeting, phone_photo()).get_json()

    payloads = [answer["photo"], *(p for c in (projector, ana, ben) for p in events_named(c, "solution:photo")),
                *projector.emit("solutions:get", callback=True)["photos"],
                *events_named(live_client(app, room["http"], meeting), "state")[0]["solution_photos"]]
    assert len(payloads) == 1 + 6 + 2 + 2
    assert all("author" not in p and "participant_id" not in p for p in payloads)
    assert not any(name in str(payloads) for name in ("Ana", "Ben"))


def test_names_hidden_by_the_facilitator_leave_the_photos_too(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    projector, [(ana_http, _)] = connected(app, room, "Ana")
    send_photo(ana_http, meeting, phone_photo())

    assert projector.emit("names:hide", {"value": True}, callback=True) == {"ok": True}

    [photo] = projector.emit("solutions:get", callback=True)["photos"]
    assert "author" not in photo


def test_a_removed_photo_leaves_every_screen_and_only_its_teacher_may_remove_it(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    projector, [(ana_http, ana), (_, ben)] = connected(app, room, "Ana", "Ben")
    photo = send_photo(ana_http, meeting, phone_photo()).get_json()["photo"]

    refused = ben.emit("solution:remove", {"id": photo["id"]}, callback=True)
    assert refused == {"ok": False, "error": "That photo is not yours to remove."}
    assert projector.emit("solution:remove", {"id": photo["id"]}, callback=True)["ok"] is False  # not a phone
    assert ana.emit("solution:remove", {"id": photo["id"]}, callback=True) == {"ok": True}

    for client in (projector, ana, ben):
        assert events_named(client, "solution:removed") == [{"id": photo["id"]}]
    assert projector.emit("solutions:get", callback=True)["photos"] == []


def test_steps_without_photos_carry_none(app, room):
    meeting = room["meeting"]
    goto_step(meeting, 0)
    projector, [(_, ana)] = connected(app, room, "Ana")

    [state] = events_named(live_client(app, room["http"], meeting), "state")
    assert state["solution_photos"] is None
    assert ana.emit("solutions:get", callback=True) == {"ok": True, "photos": None, "mine": None}

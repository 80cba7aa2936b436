"""Join limits that fit a school: a room full of phones behind one address, mistyping, still gets in;
opening the join page or the QR link is never refused; guessing codes stays slow, per address and
per code guessed; right codes never count."""
from plc.extensions import db
from plc.meetings.models import Participant
from tests.conftest import gen_meeting, gen_team, gen_user

ROOM = 40


def join(client, code, name="Ana", address="10.0.0.1"):
    return client.post("/join", data={"code": code, "name": name, "role": "classroom_teacher"},
                       environ_base={"REMOTE_ADDR": address})


def wrong_codes(n: int):
    """n different codes that are not the meeting's (a code has no 0, 1, I, L or O)."""
    alphabet = "ABCDEFGHJK"
    return [f"ZZ{alphabet[i // 100 % 10]}{alphabet[i // 10 % 10]}{alphabet[i % 10]}Z" for i in range(n)]


def test_a_full_room_behind_one_address_mistyping_still_gets_in(app):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    phones = [app.test_client() for _ in range(ROOM)]
    typos = iter(wrong_codes(ROOM * 4))
    for n, phone in enumerate(phones):
        for _ in range(4):  # four typos each: 160 wrong codes from the school's one address
            assert join(phone, next(typos), f"P{n}").status_code == 400
    for n, phone in enumerate(phones):
        assert join(phone, meeting.code, f"P{n}").status_code == 302
    assert db.session.query(Participant).count() == ROOM


def test_opening_the_join_page_and_the_qr_link_is_never_refused(app):
    app.config["JOIN_ATTEMPTS_LIMIT"] = "5 per minute"
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    guesser = app.test_client()
    statuses = [join(guesser, code).status_code for code in wrong_codes(6)]
    assert statuses == [400] * 5 + [429]
    assert "Too many wrong codes" in join(guesser, meeting.code).get_data(as_text=True)
    for _ in range(3):
        assert guesser.get("/join", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
        link = guesser.get(f"/j/{meeting.code}", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert link.status_code == 303 and link.headers["Location"].endswith(f"/join?code={meeting.code}")
    # Another address is not held back by this one's guesses.
    assert join(app.test_client(), meeting.code, address="10.0.0.2").status_code == 302


def test_a_phone_already_in_the_room_comes_back_even_from_a_blocked_address(app):
    app.config["JOIN_ATTEMPTS_LIMIT"] = "3 per minute"
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    ana = app.test_client()
    assert join(ana, meeting.code).status_code == 302
    for code in wrong_codes(4):
        join(app.test_client(), code)  # someone else behind the same address
    back = ana.get(f"/j/{meeting.code}", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/live/{meeting.id}")
    assert join(ana, meeting.code, "Ana B.").status_code == 302
    assert db.session.query(Participant).count() == 1


def test_one_code_tried_from_many_addresses_is_limited_too(app):
    app.config["JOIN_CODE_GUESSES_LIMIT"] = "3 per minute"
    statuses = [join(app.test_client(), "ZZZZZ9", address=f"10.0.1.{n}").status_code for n in range(5)]
    assert statuses == [400] * 3 + [429] * 2
    # Other codes, and right codes, are not.
    assert join(app.test_client(), "ZZZZZ8", address="10.0.1.9").status_code == 400


def test_wrong_codes_past_the_default_ceiling_are_refused(app):
    assert app.config["JOIN_ATTEMPTS_LIMIT"] == "200 per minute"
    guesser = app.test_client()
    statuses = [join(guesser, code).status_code for code in wrong_codes(201)]
    assert statuses == [400] * 200 + [429]


def test_the_qr_link_with_a_wrong_code_counts_as_a_guess(app):
    app.config["JOIN_ATTEMPTS_LIMIT"] = "2 per minute"
    guesser = app.test_client()
    assert [guesser.get(f"/j/{code}").status_code for code in wrong_codes(2)] == [404, 404]
    assert join(guesser, wrong_codes(3)[2], address="127.0.0.1").status_code == 429
    # Not a code at all (too long, letters never used) is nothing to count.
    assert guesser.get("/j/not-a-code-at-all").status_code == 404

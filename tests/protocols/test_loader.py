"""Protocols are data: the shipped files load, broken files are named precisely."""
from pathlib import Path

import pytest

from plc import create_app
from plc.protocols import ProtocolError, flatten_agenda, load_protocols
from plc.protocols.registry import available_protocols

SHIPPED = Path(__file__).resolve().parents[2] / "protocols"

GOOD = """\
id: check-in
title: Check-in
purpose: Start the meeting.
sources: [{title: Our team}]
steps:
  - id: hello
    title: Hello
    minutes: 2
    activity: responses
    prompt: How was your week?
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_the_shipped_protocols_load_with_their_steps():
    protocols = load_protocols(SHIPPED)
    assert set(protocols) == {"problem-introduction", "doing-math-together", "work-sort", "since-last-time"}
    titles = [s.title for s in protocols["work-sort"].steps]
    assert titles == ["Purpose and norms", "Bring in the student work", "Look before sorting", "Sort", "Name and describe each group",
                      "Patterns", "Next steps", "Select and sequence", "Close", CHECK]
    assert [s.activity for s in protocols["doing-math-together"].steps if s.activity] == [
        "discuss", "responses", "responses", "anticipate", "responses", "responses"]
    assert protocols["problem-introduction"].minutes == 14
    assert [(s.title, s.activity) for s in protocols["since-last-time"].steps] == [
        ("Since last time", "follow_up"), (CHECK, "responses")]
    assert [s.board for s in protocols["work-sort"].steps if s.activity == "sort"] == [
        "look", "sort", "describe", "patterns", "sequence", "close"]


def test_doing_math_together_runs_the_problem_introduction_inside_it():
    steps = flatten_agenda(load_protocols(SHIPPED), ["doing-math-together"])
    assert [s["title"] for s in steps[:3]] == ["Norms", "First read", "Shared understanding of the context"]
    assert steps[1]["protocol_title"] == "Doing Math Together · Problem Introduction Protocol"
    assert len(steps) == 6 + 6  # the problem introduction's closing check gives way to the meeting's
    # Teachers add photos of their own solutions on the solve step only.
    assert [s["step_id"] for s in steps if s["solution_photos"]] == ["solve"]


CHECK = "Check: did today match what we value?"


def test_every_shipped_protocol_closes_with_the_optional_anonymous_check():
    for protocol in load_protocols(SHIPPED).values():
        last = protocol.steps[-1]
        assert (last.title, last.closing, last.anonymous, last.optional, last.activity) == (
            CHECK, True, True, True, "responses"), protocol.id
        assert last.prompt == "Did today match what we say we value? What got in the way?"


@pytest.mark.parametrize("ids", [["doing-math-together"], ["since-last-time", "work-sort"],
                                 ["problem-introduction", "work-sort"], ["work-sort", "since-last-time"]])
def test_a_meeting_asks_the_closing_check_once_at_its_end(ids):
    steps = flatten_agenda(load_protocols(SHIPPED), ids)
    assert [pos for pos, s in enumerate(steps) if s["closing"]] == [len(steps) - 1]
    assert steps[-1]["anonymous"] and steps[-1]["optional"]


def test_the_norms_steps_and_the_step_that_reveals_the_question():
    steps = flatten_agenda(load_protocols(SHIPPED), ["doing-math-together", "work-sort"])
    assert [s["step_id"] for s in steps if s["norms"]] == ["norms", "purpose-and-norms"]
    assert [(s["protocol_id"], s["step_id"]) for s in steps if s["reveals_question"]] == [
        ("problem-introduction", "the-question")]


@pytest.mark.parametrize("extra, expected", [
    ("    closing: true\n", "a closing step takes anonymous responses"),
    ("    closing: true\n    anonymous: true\n  - id: after\n    title: After\n    minutes: 1\n    activity: discuss\n",
     "only the last step can be the closing step"),
    ("    reveals_question: true\n  - id: again\n    title: Again\n    minutes: 1\n    activity: discuss\n"
     "    reveals_question: true\n", "only one step can reveal the question"),
])
def test_closing_and_revealing_steps_are_checked(tmp_path, extra, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD + extra)
    with pytest.raises(ProtocolError, match=expected):
        load_protocols(tmp_path)


@pytest.mark.parametrize("broken, expected", [
    (GOOD.replace("activity: responses", "activity: dance"),
     "bad.yaml: step 1 ('Hello'), field activity: Input should be"),
    (GOOD.replace("    minutes: 2\n", ""), "bad.yaml: step 1 ('Hello'): Value error, missing required field(s): minutes"),
    (GOOD.replace("minutes: 2", "minutes: soon"), "bad.yaml: step 1 ('Hello'), field minutes: Input should be a valid integer"),
    (GOOD.replace("title: Check-in", "title: ''"), "bad.yaml: field title: String should have at least 1 character"),
    (GOOD + "    colour: red\n", "bad.yaml: step 1 ('Hello'), field colour: Extra inputs are not permitted"),
    (GOOD.replace("id: check-in", "id: Check In!"), "bad.yaml: field id: String should match pattern"),
    ("steps: [", "bad.yaml: not valid YAML"),
    ("- just a list", "bad.yaml: file: expected a mapping"),
    (GOOD + "  - include: nowhere\n", "bad.yaml: step 2, field include: no protocol has the id 'nowhere'"),
    (GOOD.replace("activity: responses", "activity: discuss") + "    solution_photos: true\n",
     "bad.yaml: step 1 ('Hello'): Value error, solution_photos applies only to steps whose activity is responses"),
])
def test_a_malformed_file_is_named_with_its_step_and_field(tmp_path, broken, expected):
    write(tmp_path, "bad.yaml", broken)
    with pytest.raises(ProtocolError) as error:
        load_protocols(tmp_path)
    assert expected in str(error.value)


def test_a_malformed_file_stops_start_up_with_the_message(tmp_path):
    write(tmp_path / "protocols", "bad.yaml", GOOD.replace("minutes: 2", "minutes: -5"))
    with pytest.raises(SystemExit) as stop:
        create_app({"PROTOCOLS_DIR": str(tmp_path / "protocols"), "SQLALCHEMY_DATABASE_URI": "sqlite://"},
                   instance_path=str(tmp_path / "instance"))
    assert "bad.yaml: step 1 ('Hello'), field minutes: Input should be greater than or equal to 0" in str(stop.value)


def test_two_files_with_one_id_are_refused(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(ProtocolError, match="b.yaml: field id: 'check-in' is already used by a.yaml"):
        load_protocols(tmp_path)


def test_a_new_file_appears_in_the_picker_without_a_restart(app, tmp_path):
    folder = tmp_path / "live-protocols"
    write(folder, "check-in.yaml", GOOD)
    app.config["PROTOCOLS_DIR"] = str(folder)
    assert list(available_protocols()[0]) == ["check-in"]
    write(folder, "closing.yaml", GOOD.replace("check-in", "closing").replace("Check-in", "Closing"))
    protocols, error = available_protocols()
    assert list(protocols) == ["check-in", "closing"] and error is None
    # A broken file dropped in while running keeps the good set and reports the problem.
    write(folder, "zzz.yaml", GOOD.replace("id: check-in", "id: other").replace("minutes: 2", "minutes: x"))
    protocols, error = available_protocols()
    assert list(protocols) == ["check-in", "closing"]
    assert "zzz.yaml: step 1 ('Hello'), field minutes" in error

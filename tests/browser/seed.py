"""Meetings written straight into the live server's database, in a second or two. Each gets a
team of its own (so the demo team's tasks, samples and sorts stay as the other browser tests
expect them); at full size: 30 pieces of student work with their files, a Work Sort of 12 groups
with notes and next steps, and a meeting on Doing Math Together and the Work Sort. The people
are not seeded: the tests' phones join for real, and `add_answers` then gives them answers.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageFont

from plc import storage
from plc.accounts.models import User
from plc.extensions import db
from plc.media.clean import thumbnail
from plc.media.files import save_jpeg
from plc.meetings import services as meetings
from plc.meetings.models import Meeting, Participant, Response
from plc.protocols import ANTICIPATION_QUESTIONS, available_protocols
from plc.sort.models import NextStep, Placement, Sort, SortGroup
from plc.sort.ordering import POSITION_GAP
from plc.teams.models import Membership, Task, Team, Unit
from plc.work.models import WorkSample

TEAM = "Riverside K-5 math PLC"
TASK = "Bakery trays"
TASK_CONTEXT = "The bakery puts 8 muffins on each tray. There are 96 muffins."
TASK_QUESTION = "How many trays does the bakery fill? Show how you know."
PROTOCOLS = ["doing-math-together", "work-sort"]

# Long words on purpose: a heading must wrap between words, never inside one.
GROUPS = [
    "Skip counts by 8", "Makes 10 trays first", "Uses a multiplication fact", "Draws equal groups",
    "Repeated subtraction", "Partitions the dividend", "Distributive property with tens",
    "Counts all on a drawing", "Doubles and halves", "Uses an open number line",
    "Multiplicative comparison reasoning",
]
UNANTICIPATED = "Unanticipated"
SAMPLES = 30
UNSORTED = 4  # cards left in the tray

PEOPLE = [
    "Ana Teacher", "Ben Coach", "Maria Fernanda Gutiérrez-López", "Bo Li", "Chiamaka Okonkwo-Adeyemi",
    "Dee Walsh", "Eli Brandt", "Fatima Zahra El Idrissi", "Gus Moreno", "Hana Sato",
    "Ines Kowalczyk", "Jamal Rahman", "Kai Nakamura", "Lena Hoffmann", "Marcus Washington-Reid",
    "Nora Lindqvist", "Omar Haddad", "Priya Raghunathan", "Quinn O'Sullivan", "Rosa Delgado",
    "Sam Ortiz", "Tuan Nguyen", "Uma Patel", "Vera Ivanova", "Will Thompson",
    "Xiomara Castillo", "Yusuf Demir", "Zoe Papadopoulos", "Aaron Goldberg", "Beatriz Santos",
    "Carlos Mendoza", "Dana Kim", "Emeka Eze", "Freya MacLeod", "Gita Sharma",
    "Hugo Lefebvre", "Ivy Chen", "Jonah Abernathy-Whitfield", "Keisha Brown", "Luis Herrera",
]

ANSWER_WORDS = ("students", "tray", "muffins", "groups", "eight", "count", "multiplication", "array",
                "subtract", "tens", "number line", "doubles", "fact", "model", "explain", "reasoning")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(ANSWER_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _work_page(name: str, lines: list[str]) -> Image.Image:
    """A portrait page: "Name:" at the top, the work below, written from the left margin, so a
    thumbnail cropped to its centre would cut off the start of every line."""
    page = Image.new("RGB", (850, 1100), "white")
    pen = ImageDraw.Draw(page)
    font = ImageFont.load_default(44)
    for y in range(150, 1100, 80):
        pen.line([(20, y), (830, y)], fill=(170, 200, 235), width=2)
    pen.text((30, 60), f"Name: {name}", font=font, fill=(30, 30, 60))
    for row, line in enumerate(lines):
        pen.text((30, 170 + row * 80), line, font=font, fill=(25, 25, 25))
    return page


def add_work(team: Team, task: Task, user: User, count: int, rng: random.Random) -> list[WorkSample]:
    """`count` pieces of student work on the task, processed, with their files: S01, S02, ..."""
    samples = []
    for n in range(count):
        label = f"S{n + 1:02d}"
        lines = ["96 - 8 = 88", "8 x 10 = 80 and 8 x 2 = 16", "80 + 16 = 96 so 12 trays",
                 _sentence(rng, 5)][: 2 + n % 3]
        page = _work_page(f"Student {n + 1}", lines)
        image_name, thumb_name = storage.new_name("work", ".jpg"), storage.new_name("work", ".jpg")
        save_jpeg(page, storage.path_of(image_name))
        save_jpeg(thumbnail(page), storage.path_of(thumb_name))
        samples.append(WorkSample(
            team_id=team.id, task_id=task.id, uploaded_by_user_id=user.id, student_label=label,
            source_kind="image", status="done", image_name=image_name, thumb_name=thumb_name,
            width=page.width, height=page.height, ocr_text="\n".join([f"Name: Student {n + 1}", *lines]),
            ocr_confidence=91.0, ocr_words=[], blur_boxes=[]))
    db.session.add_all(samples)
    db.session.commit()
    return samples


@dataclass
class SeededMeeting:
    team_id: int
    task_id: int
    meeting_id: int
    code: str
    sample_ids: list[int]
    group_names: list[str]


def seed_meeting(email: str, team_name: str = TEAM, *, samples: int = SAMPLES, groups: list[str] = GROUPS,
                 unsorted: int = UNSORTED, notes: bool = True, at: str | None = None) -> SeededMeeting:
    """A team of its own led by the user, its task, `samples` pieces of work, a sort with
    `groups` (and "Unanticipated"), with their `notes`, `unsorted` cards left in the tray, next
    steps for the first groups, and a new meeting - at the step titled `at`, if given. Nobody
    has joined yet."""
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
    team = Team(name=team_name)
    unit = Unit(team=team, title="Grade 4, Unit 2: Division")
    task = Task(unit=unit, title=TASK, context=TASK_CONTEXT, question=TASK_QUESTION)
    db.session.add_all([team, Membership(team=team, user=user, role="facilitator"), unit, task])
    db.session.commit()

    rng = random.Random(11)
    samples = add_work(team, task, user, samples, rng)

    sort = Sort(team_id=team.id, task_id=task.id)
    names = [*groups, UNANTICIPATED]
    for position, name in enumerate(names):
        kind = "unanticipated" if name == UNANTICIPATED else "anticipated" if position < 6 else "added"
        long_note = position % 3 == 0
        group = SortGroup(name=name, position=position, kind=kind)
        if notes:
            group.showing = f"They {_sentence(rng, 14 if long_note else 6).lower()}"
            group.telling = _sentence(rng, 8) if position % 2 else ""
            group.build_on = _sentence(rng, 6)
            group.issues = _sentence(rng, 10) if long_note else ""
        sort.groups.append(group)
    db.session.add(sort)
    db.session.flush()
    sorted_samples = samples[: len(samples) - unsorted]
    for index, sample in enumerate(sorted_samples):
        group = sort.groups[index % len(sort.groups)]
        db.session.add(Placement(sort_id=sort.id, sample_id=sample.id, group_id=group.id,
                                 position=(index // len(sort.groups)) * POSITION_GAP, version=1,
                                 moved_by=rng.choice(PEOPLE)))
    for index, group in enumerate(sort.groups[:8]):
        db.session.add(NextStep(
            sort_id=sort.id, group_id=group.id, move=f"Small group on {group.name.lower()}: {_sentence(rng, 9)}",
            audience="small_group" if index % 2 else "whole_class",
            owner_role=["classroom_teacher", "interventionist", "coach", "special_educator"][index % 4],
            owner_name=PEOPLE[index % len(PEOPLE)], prediction=f"More will use {group.name.lower()}.",
            evidence="The exit ticket on Friday",
            due_on=date.today() + timedelta(days=7 + index), created_by="Demo Facilitator"))
    db.session.commit()

    protocols, _ = available_protocols()
    meeting = meetings.start_meeting(team, task, user, protocols, PROTOCOLS)
    sort.meeting_id = meeting.id
    db.session.commit()
    if at is not None:
        meetings.goto_step(meeting, next(pos for pos, step in enumerate(meeting.agenda) if step["title"] == at))
    return SeededMeeting(team_id=team.id, task_id=task.id, meeting_id=meeting.id, code=meeting.code,
                      sample_ids=[s.id for s in samples], group_names=names)


def add_answers(meeting_id: int, per_question: int = 10, per_step: int = 60) -> None:
    """Answers by the people who joined: `per_question` for each anticipation question, and
    `per_step` on the first step that takes answers (the most a projector must show)."""
    meeting = db.session.get(Meeting, meeting_id)
    people = db.session.execute(
        db.select(Participant.id).filter_by(meeting_id=meeting_id).order_by(Participant.id)).scalars().all()
    rng = random.Random(12)
    rows = []
    first_responses = next(pos for pos, s in enumerate(meeting.agenda) if s["activity"] == "responses")
    anticipate = next(pos for pos, s in enumerate(meeting.agenda) if s["activity"] == "anticipate")
    for n in range(per_step):
        rows.append(Response(meeting_id=meeting_id, step_pos=first_responses, participant_id=people[n % len(people)],
                             text=_sentence(rng, 4 + n % 13)))
    for field in ANTICIPATION_QUESTIONS:
        for n in range(per_question):
            rows.append(Response(meeting_id=meeting_id, step_pos=anticipate, field=field,
                                 participant_id=rng.choice(people), text=_sentence(rng, 3 + n % 9)))
    db.session.add_all(rows)
    db.session.commit()


@dataclass
class SeededUnit:
    team_id: int
    unit_id: int
    task_titles: list[str]


def seed_unit(email: str, team_name: str, task_titles: list[str], samples: int = 3) -> SeededUnit:
    """A team of its own led by the user, a unit with these tasks, and on each the work of the
    same students (S01, S02, ...): no meeting yet, no sort, no next step."""
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
    team = Team(name=team_name)
    unit = Unit(team=team, title="Grade 3, Unit 5: Equal groups")
    tasks = [Task(unit=unit, title=title, context=TASK_CONTEXT, question=TASK_QUESTION) for title in task_titles]
    db.session.add_all([team, Membership(team=team, user=user, role="facilitator"), unit, *tasks])
    db.session.commit()
    rng = random.Random(5)
    for task in tasks:
        add_work(team, task, user, samples, rng)
    return SeededUnit(team_id=team.id, unit_id=unit.id, task_titles=task_titles)

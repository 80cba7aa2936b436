"""Teams: membership, invites, units, tasks and the pictures that go with tasks."""
from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from plc import storage
from plc.errors import UserError
from plc.extensions import db
from plc.media import files
from plc.media.checks import inspect_upload
from plc.media.clean import clean
from plc.media.errors import Reason, UploadRejected
from plc.media.pages import load_pages
from plc.offload import off_loop
from plc.urls import public_url
from plc.roles import TEAM_ROLES
from plc.teams.models import (
    CriticalStrategy, DeletionRecord, Membership, Strategy, Task, Team, Unit, new_invite_token,
)

DELETION_LOG_LENGTH = 50
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 1600
IMAGE_KINDS = ("jpeg", "png", "webp")
NOT_A_PICTURE = "This file is not a JPEG, PNG or WebP picture, or it is damaged."
# What a task's picture form says about the media checks' refusals.
_SAYS = {Reason.BYTES: "The image is larger than 10 MB.", Reason.PIXELS: "The image has too many pixels."}


class ImageRejected(UserError):
    """An upload that is not an image we accept; the message is written for the user."""


class LastFacilitator(UserError):
    """A change that would leave a team without a facilitator."""


def teams_of(user) -> list[Membership]:
    """The user's memberships, by team name."""
    return list(
        db.session.execute(
            db.select(Membership).join(Team).filter(Membership.user_id == user.id).order_by(Team.name)
        ).scalars()
    )


def create_team(name: str, creator) -> Team:
    team = Team(name=name.strip())
    db.session.add_all([team, Membership(team=team, user=creator, role="facilitator")])
    db.session.commit()
    return team


def team_by_invite(token: str) -> Team | None:
    return db.session.execute(db.select(Team).filter_by(invite_token=token)).scalar_one_or_none()


def invite_url(team: Team) -> str:
    return public_url("teams.accept_invite", token=team.invite_token)


def set_keep_originals(team: Team, keep: bool) -> None:
    team.keep_originals = keep
    db.session.commit()


def rotate_invite(team: Team) -> None:
    """Give the team a new invite link; the old one stops working."""
    team.invite_token = new_invite_token()
    db.session.commit()


def join_team(team: Team, user) -> Membership:
    """Add user as a member; someone already in the team keeps their role."""
    membership = db.session.execute(
        db.select(Membership).filter_by(team_id=team.id, user_id=user.id)
    ).scalar_one_or_none()
    if membership is None:
        membership = Membership(team=team, user=user, role="member")
        db.session.add(membership)
        db.session.commit()
    return membership


def set_role(membership: Membership, role: str) -> None:
    if role not in TEAM_ROLES:
        raise ValueError(f"unknown team role {role!r}")
    if membership.role == "facilitator" and role != "facilitator":
        facilitators = db.session.execute(
            db.select(db.func.count())
            .select_from(Membership)
            .filter_by(team_id=membership.team_id, role="facilitator")
        ).scalar_one()
        if facilitators == 1:
            raise LastFacilitator("A team needs at least one facilitator. Make someone else facilitator first.")
    membership.role = role
    db.session.commit()


def create_unit(team: Team, title: str) -> Unit:
    unit = Unit(team=team, title=title.strip())
    db.session.add(unit)
    db.session.commit()
    return unit


def create_task(unit: Unit, title: str, context: str, question: str = "",
                image: FileStorage | None = None) -> Task:
    """Raises ImageRejected, saving nothing, when the image is not acceptable."""
    image_name = save_task_image(image) if image else None
    task = Task(unit=unit, title=title.strip(), context=context, question=(question or "").strip(),
                image_name=image_name)
    db.session.add(task)
    db.session.commit()
    return task


def change_task_text(task: Task, title: str, context: str, question: str) -> None:
    task.title, task.context, task.question = title.strip(), context, (question or "").strip()
    db.session.commit()


def save_task_image(upload: FileStorage) -> str:
    """Check an uploaded picture by its content and store a clean copy, through the same
    checks as student work (media.checks) but for JPEG, PNG and WebP only.

    The copy is upright, at most MAX_IMAGE_SIDE pixels on its long side and a
    JPEG without EXIF (no camera data or GPS position), written atomically. Returns
    its stored name. Decoding and resizing run off the event loop (plc/offload.py).
    """
    incoming = storage.new_name("incoming", "")
    name = storage.new_name("tasks", ".jpg")
    try:
        files.receive(upload.stream, storage.path_of(incoming), MAX_IMAGE_BYTES)
        off_loop(_write_clean_copy, storage.path_of(incoming), storage.path_of(name))
    except UploadRejected as exc:
        raise ImageRejected(_SAYS.get(exc.reason, NOT_A_PICTURE)) from exc
    finally:
        storage.delete(incoming)
    return name


def _write_clean_copy(source: Path, target: Path) -> None:
    inspected = inspect_upload(source, MAX_IMAGE_BYTES)
    if inspected.kind not in IMAGE_KINDS:
        raise ImageRejected(NOT_A_PICTURE)
    [image] = load_pages(source, inspected)
    files.save_jpeg(clean(image, MAX_IMAGE_SIDE), target, optimized=False)  # in the server: see save_jpeg


def vocabulary(team_id: int) -> list[Strategy]:
    """The team's shared names of strategies and models, alphabetically."""
    return list(db.session.execute(
        db.select(Strategy).filter_by(team_id=team_id).order_by(Strategy.key)
    ).scalars())


def critical_strategies(unit_id: int) -> list[Strategy]:
    """The strategies the team counts as critical for the unit, alphabetically."""
    return list(db.session.execute(
        db.select(Strategy).join(CriticalStrategy, CriticalStrategy.strategy_id == Strategy.id)
        .where(CriticalStrategy.unit_id == unit_id).order_by(Strategy.key)
    ).scalars())


def critical_units_by_strategy(team_id: int) -> dict[int, list[str]]:
    """For each strategy of the team's vocabulary marked critical somewhere: the titles of the
    units it is critical for, in the units' order (the team page says so beside the vocabulary)."""
    units: dict[int, list[str]] = {}
    for strategy_id, title in db.session.execute(
            db.select(CriticalStrategy.strategy_id, Unit.title).join(Unit, Unit.id == CriticalStrategy.unit_id)
            .where(Unit.team_id == team_id).order_by(Unit.id)):
        units.setdefault(strategy_id, []).append(title)
    return units


def set_critical_strategies(unit: Unit, strategy_ids: list[int]) -> None:
    """Mark exactly these entries of the team's vocabulary as critical for the unit. The caller
    offers only the team's entries; any other id is ignored (another team's is never marked)."""
    own = {s.id for s in vocabulary(unit.team_id)}
    wanted = set(strategy_ids) & own
    for row in db.session.execute(db.select(CriticalStrategy).filter_by(unit_id=unit.id)).scalars():
        if row.strategy_id in wanted:
            wanted.discard(row.strategy_id)
        else:
            db.session.delete(row)
    db.session.add_all(CriticalStrategy(unit_id=unit.id, strategy_id=sid) for sid in sorted(wanted))
    db.session.commit()


def recent_deletions(team_id: int, limit: int = DELETION_LOG_LENGTH) -> list[DeletionRecord]:
    """The team's latest deletions (plc/retention records them), newest first."""
    return list(db.session.execute(
        db.select(DeletionRecord).filter_by(team_id=team_id)
        .order_by(DeletionRecord.at.desc(), DeletionRecord.id.desc()).limit(limit)
    ).scalars())

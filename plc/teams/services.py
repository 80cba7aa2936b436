"""Teams: membership, invites, units, tasks and the pictures that go with tasks."""
from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage

from plc.errors import UserError
from plc.extensions import db
from plc.urls import public_url
from plc.roles import TEAM_ROLES
from plc.teams.models import DeletionRecord, Membership, Strategy, Task, Team, Unit, new_invite_token

DELETION_LOG_LENGTH = 50
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 1600
IMAGE_FORMATS = ["JPEG", "PNG", "WEBP"]


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


def create_task(unit: Unit, title: str, text: str, image: FileStorage | None = None) -> Task:
    """Raises ImageRejected, saving nothing, when the image is not acceptable."""
    image_name = save_task_image(image, current_app.config["UPLOADS_DIR"]) if image else None
    task = Task(unit=unit, title=title.strip(), text=text, image_name=image_name)
    db.session.add(task)
    db.session.commit()
    return task


def save_task_image(upload: FileStorage, uploads_dir: str) -> str:
    """Check an uploaded picture by its content and store a clean copy.

    The copy is upright, at most MAX_IMAGE_SIDE pixels on its long side and a
    JPEG without EXIF (no camera data or GPS position). Returns its name
    relative to uploads_dir.
    """
    data = upload.stream.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected("The image is larger than 10 MB.")
    image = _decode(data)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    clean = _on_white(image)

    name = f"tasks/{secrets.token_hex(16)}.jpg"
    path = Path(uploads_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    clean.save(path, "JPEG", quality=85, optimize=True)
    return name


def _decode(data: bytes) -> Image.Image:
    """The fully decoded image, or ImageRejected; decompression bombs count as bad."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("The image has too many pixels.") from exc
    except Exception as exc:  # Pillow raises many kinds of error on bad input.
        raise ImageRejected("This file is not a JPEG, PNG or WebP picture, or it is damaged.") from exc
    return image


def _on_white(image: Image.Image) -> Image.Image:
    """A new RGB image (so it carries no metadata), transparency flattened onto white."""
    rgba = image.convert("RGBA")
    clean = Image.new("RGB", rgba.size, "white")
    clean.paste(rgba, mask=rgba.getchannel("A"))
    return clean


def vocabulary(team_id: int) -> list[Strategy]:
    """The team's shared names of strategies and models, alphabetically."""
    return list(db.session.execute(
        db.select(Strategy).filter_by(team_id=team_id).order_by(Strategy.key)
    ).scalars())


def recent_deletions(team_id: int, limit: int = DELETION_LOG_LENGTH) -> list[DeletionRecord]:
    """The team's latest deletions (plc/retention records them), newest first."""
    return list(db.session.execute(
        db.select(DeletionRecord).filter_by(team_id=team_id)
        .order_by(DeletionRecord.at.desc(), DeletionRecord.id.desc()).limit(limit)
    ).scalars())

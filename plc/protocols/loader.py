"""Load protocol files and check them against a schema.

A malformed file raises ProtocolError with a message naming the file, the step
and the field, so a coach who edits a file sees exactly what to fix.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ACTIVITIES = {
    "discuss": "Discussion",
    "responses": "Short text responses",
    "anticipate": "The four anticipation questions",
    "upload": "Upload student work",
    "sort": "Sort student work",
    "next_steps": "Next steps",
    "follow_up": "Follow up on next steps",
}
# The activities whose step takes people's written responses.
RESPONSE_ACTIVITIES = ("responses", "anticipate")

# What the Work Sort board allows on a `sort` step.
BOARD_MODES = {
    "look": "Look only: nobody moves cards",
    "sort": "Move cards into groups",
    "describe": "Name and describe each group",
    "patterns": "Counts per group and strategies nobody used",
    "sequence": "Choose and order samples to share",
    "close": "The board as it stands, to close and save",
}

# Doing Math Together's four questions (All Learners Network): each is a list of short answers.
ANTICIPATION_QUESTIONS = {
    "successful": "Where might students be successful?",
    "strategies": "What models and strategies could they use?",
    "stuck": "Where might they get stuck?",
    "questions": "What questions can we prepare to support student thinking?",
}

SLUG = r"^[a-z0-9][a-z0-9-]{0,59}$"


class ProtocolError(Exception):
    pass


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    url: Optional[str] = Field(default=None, pattern=r"^https?://\S+$")


class Step(BaseModel):
    """A step of a protocol, or `include: <protocol id>` to run another protocol here."""

    model_config = ConfigDict(extra="forbid")
    include: Optional[str] = Field(default=None, pattern=SLUG)
    id: Optional[str] = Field(default=None, pattern=SLUG)
    title: Optional[str] = Field(default=None, min_length=1, max_length=120)
    minutes: Optional[int] = Field(default=None, ge=0, le=180)
    script: str = Field(default="", max_length=4000)
    prompt: str = Field(default="", max_length=1000)
    activity: Optional[Literal[tuple(ACTIVITIES)]] = None  # type: ignore[valid-type]
    anonymous: bool = False
    optional: bool = False
    # A norms step: a team that wrote its own norms sees them here instead of the prompt.
    norms: bool = False
    # The step of Problem Introduction that reveals the task's question, held back until then.
    reveals_question: bool = False
    # The protocol's closing check: its last step, anonymous. A meeting asks it once, at its end
    # (flatten_agenda keeps only the last one of the protocols it runs).
    closing: bool = False
    board: Optional[Literal[tuple(BOARD_MODES)]] = None  # type: ignore[valid-type]
    # Teachers may add a photo of their own solution beside their written answers (plc/solutions/).
    solution_photos: bool = False

    @model_validator(mode="after")
    def include_or_full_step(self) -> "Step":
        if self.include:
            extra = [f for f in ("id", "title", "minutes", "activity") if getattr(self, f)]
            if extra:
                raise ValueError(f"an include step takes no other fields (found {', '.join(extra)})")
            return self
        missing = [f for f in ("id", "title", "minutes", "activity") if getattr(self, f) is None]
        if missing:
            raise ValueError(f"missing required field(s): {', '.join(missing)}")
        if self.board and self.activity != "sort":
            raise ValueError("board applies only to steps whose activity is sort")
        if self.closing and not (self.anonymous and self.activity == "responses"):
            raise ValueError("a closing step takes anonymous responses (activity: responses, anonymous: true)")
        if self.solution_photos and self.activity != "responses":
            raise ValueError("solution_photos applies only to steps whose activity is responses")
        return self


class Protocol(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=120)
    purpose: str = Field(min_length=1, max_length=2000)
    sources: list[Source] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_step_ids(self) -> "Protocol":
        seen = set()
        for step in self.steps:
            if step.id and step.id in seen:
                raise ValueError(f"two steps have the id {step.id!r}")
            seen.add(step.id)
        if any(step.closing for step in self.steps[:-1]):
            raise ValueError("only the last step can be the closing step")
        if sum(step.reveals_question for step in self.steps) > 1:
            raise ValueError("only one step can reveal the question")
        return self

    @property
    def minutes(self) -> int:
        return sum(s.minutes or 0 for s in self.steps)


def _describe_error(path: Path, data: dict, err: dict) -> str:
    loc = list(err["loc"])
    where = []
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        index = loc[1]
        step = (data.get("steps") or [None] * (index + 1))[index]
        title = step.get("title") if isinstance(step, dict) else None
        where.append(f"step {index + 1}" + (f" ({title!r})" if title else ""))
        loc = loc[2:]
    loc = [part for part in loc if not isinstance(part, str) or not part.startswith("function-")]
    if loc:
        where.append("field " + ".".join(str(part) for part in loc))
    return f"{path.name}: {', '.join(where) or 'file'}: {err['msg']}"


def load_protocol_file(path: Path) -> Protocol:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProtocolError(f"{path.name}: file: expected a mapping with id, title, purpose, sources and steps")
    try:
        return Protocol.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(
            "\n".join(_describe_error(path, data, err) for err in exc.errors())
        ) from exc


def load_protocols(directory: str | Path) -> dict[str, Protocol]:
    """Every *.yaml file of the folder, by id, in file-name order; raises ProtocolError."""
    protocols: dict[str, Protocol] = {}
    files: dict[str, Path] = {}
    for path in sorted(Path(directory).glob("*.y*ml")):
        if not re.search(r"\.ya?ml$", path.name):
            continue
        protocol = load_protocol_file(path)
        if protocol.id in protocols:
            raise ProtocolError(
                f"{path.name}: field id: {protocol.id!r} is already used by {files[protocol.id].name}"
            )
        protocols[protocol.id] = protocol
        files[protocol.id] = path
    for protocol in protocols.values():
        for index, step in enumerate(protocol.steps):
            if not step.include:
                continue
            where = f"{files[protocol.id].name}: step {index + 1}, field include"
            target = protocols.get(step.include)
            if target is None:
                raise ProtocolError(f"{where}: no protocol has the id {step.include!r}")
            if any(s.include for s in target.steps):
                raise ProtocolError(f"{where}: {step.include!r} includes other protocols itself")
    return protocols


def flatten_agenda(protocols: dict[str, Protocol], ids: list[str]) -> list[dict]:
    """The meeting's steps in order, with includes expanded: a plain copy for the database."""
    steps = []
    for protocol_id in ids:
        protocol = protocols[protocol_id]
        for step in protocol.steps:
            if step.include:
                inner = protocols[step.include]
                steps += [_step_dict(inner, s, f"{protocol.title} · {inner.title}") for s in inner.steps]
            else:
                steps.append(_step_dict(protocol, step, protocol.title))
    last_closing = max((pos for pos, step in enumerate(steps) if step["closing"]), default=None)
    return [step for pos, step in enumerate(steps) if not step["closing"] or pos == last_closing]


def _step_dict(protocol: Protocol, step: Step, heading: str) -> dict:
    return {
        "protocol_id": protocol.id,
        "protocol_title": heading,
        "step_id": step.id,
        "title": step.title,
        "minutes": step.minutes,
        "script": step.script.strip(),
        "prompt": step.prompt.strip(),
        "activity": step.activity,
        "anonymous": step.anonymous,
        "optional": step.optional,
        "norms": step.norms,
        "reveals_question": step.reveals_question,
        "closing": step.closing,
        "board": step.board or ("sort" if step.activity == "sort" else None),
        "solution_photos": step.solution_photos,
    }

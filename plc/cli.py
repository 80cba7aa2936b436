"""Command-line jobs: `flask demo` seeds a team, a unit and a task so the first screen is not empty."""
from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app

from plc.extensions import db

DEMO_EMAIL = "facilitator@demo.example"


def _demo_password() -> str:
    """A random password kept in the instance folder, so it is never a constant in the code."""
    path = Path(current_app.instance_path) / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_team(facilitator, team_name: str = "Grade 3 - Lincoln Elementary"):
    """A team led by `facilitator` with one unit and the demo task; returns (team, task)."""
    from plc.teams.models import Membership, Task, Team, Unit

    team = Team(name=team_name)
    unit = Unit(team=team, title="Grade 3, Unit 4: Multiplication and division")
    task = Task(
        unit=unit,
        title="Apple boxes",
        context="The class orchard picked 84 apples. A box holds 6 apples.",
        question="How many boxes does the class need to pack all the apples?",
    )
    db.session.add_all([facilitator, team, Membership(team=team, user=facilitator, role="facilitator"), unit, task])
    db.session.commit()
    return team, task


def seed_demo() -> tuple[str, str]:
    from plc.accounts.models import User

    password = _demo_password()
    user = db.session.execute(db.select(User).filter_by(email=DEMO_EMAIL)).scalar_one_or_none()
    if user is None:
        from plc.demo_work import STICKERS_TASK, add_demo_anticipation, add_demo_history, add_demo_work
        from plc.teams.models import Task

        user = User(email=DEMO_EMAIL, name="Demo Facilitator")
        user.set_password(password)
        team, task = demo_team(user)
        title, context, question = STICKERS_TASK
        stickers = Task(unit=task.unit, title=title, context=context, question=question)
        db.session.add(stickers)
        db.session.commit()
        add_demo_anticipation(team, stickers, user)
        stickers_id = stickers.id
        click.echo("Drawing and reading the demo student work…")
        add_demo_history(team, task.unit, user)
        add_demo_work(stickers_id)
    return DEMO_EMAIL, password


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command():
        """Create the demo team, unit and task (once) and print how to log in."""
        email, password = seed_demo()
        click.echo(f"Demo facilitator: {email} / password {password}")

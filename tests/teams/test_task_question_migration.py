"""The migration that gives a task its question apart from its context: the old text becomes the
context, and the question is split off only where that is reliable."""
import importlib.util

import flask_migrate
import pytest
import sqlalchemy as sa

from plc import create_app
from plc.extensions import db
from tests.conftest import REPO_ROOT

REVISION, BEFORE = "f3a8c61d2e47", "f2a8c4d61e93"
[MIGRATION] = (REPO_ROOT / "migrations" / "versions").glob(f"{REVISION}_*.py")
spec = importlib.util.spec_from_file_location("task_question_migration", MIGRATION)
migration = importlib.util.module_from_spec(spec)
spec.loader.exec_module(migration)


@pytest.mark.parametrize("text, context, question", [
    ("A store packs 6 apples in a box.\nHow many boxes for 84 apples?",
     "A store packs 6 apples in a box.", "How many boxes for 84 apples?"),
    ("Share 3 pizzas among 4 friends. How much pizza does each friend get?",
     "Share 3 pizzas among 4 friends.", "How much pizza does each friend get?"),
    # A title with a full stop inside the question does not cut it.
    ("Ms. Lee buys 3 boxes of 12 pens. How many pens did Ms. Lee buy?",
     "Ms. Lee buys 3 boxes of 12 pens.", "How many pens did Ms. Lee buy?"),
    ("There are 24 chairs: What is the largest number of equal rows?",
     "There are 24 chairs:", "What is the largest number of equal rows?"),
])
def test_a_story_that_ends_with_its_one_question_is_split(text, context, question):
    assert migration.split_question(text) == (context, question)


@pytest.mark.parametrize("text", [
    "How many boxes for 84 apples?",  # only a question: nothing to hold back from
    "The bakery puts 8 muffins on each tray.\nHow many trays? Show how you know.",  # does not end with it
    "How many boxes? How many apples are left over?",  # two questions
    "Share 3 pizzas among 4 friends.",  # no question at all
    "Mr. Ortiz has 12 apples and 3 bags, so he shares them out?",  # no question word opens it
    "يعبئ متجر ٦ تفاحات في صندوق.\nكم صندوقا يلزم؟",  # not a question mark we know how to read
])
def test_anything_else_stays_whole_as_the_context(text):
    assert migration.split_question(text) == (text, "")


def test_upgrade_splits_existing_tasks_and_downgrade_puts_them_back(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite3'}",
                      "UPLOADS_DIR": str(tmp_path / "uploads")}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO team (id, name, invite_token, keep_originals, created_at) "
                                 "VALUES (1, 'T', 'tok', 0, '2026-01-01')"))
            conn.execute(sa.text("INSERT INTO unit (id, team_id, title, created_at) VALUES (1, 1, 'U', '2026-01-01')"))
            conn.execute(sa.text("INSERT INTO task (id, unit_id, title, text, created_at) VALUES "
                                 "(1, 1, 'Split', 'Share 3 pizzas among 4 friends.\nHow much does each get?', '2026-01-01'),"
                                 "(2, 1, 'Whole', 'How many? Show how you know.', '2026-01-01')"))
            # A meeting on the task: its foreign key would stop a migration that copies the task table.
            conn.execute(sa.text("INSERT INTO user (id, email, name, password_hash, created_at) "
                                 "VALUES (1, 'f@example.org', 'F', 'x', '2026-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO meeting (id, team_id, task_id, facilitator_id, code, agenda, step_pos, timer_running, "
                "timer_remaining, names_hidden, input_locked, started_at) "
                "VALUES (1, 1, 1, 1, 'ABCDEF', '[]', 0, 0, 0, 0, 0, '2026-01-01')"))

        flask_migrate.upgrade(revision=REVISION)
        with db.engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT id, context, question FROM task ORDER BY id")).all()
            team = conn.execute(sa.text("SELECT norms FROM team")).one()
        assert [tuple(r) for r in rows] == [(1, "Share 3 pizzas among 4 friends.", "How much does each get?"),
                                            (2, "How many? Show how you know.", "")]
        assert team.norms == ""

        flask_migrate.downgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            texts = conn.execute(sa.text("SELECT text FROM task ORDER BY id")).scalars().all()
        assert texts == ["Share 3 pizzas among 4 friends.\nHow much does each get?", "How many? Show how you know."]
        db.engine.dispose()

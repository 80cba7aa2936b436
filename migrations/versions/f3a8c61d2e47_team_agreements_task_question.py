"""The team's own agreements (norms, key words) and a task's question apart from its context

A task's old text becomes its context; where it ends with its only question, and that question
starts a sentence with a question word, the question is split off (see split_question).

Revision ID: f3a8c61d2e47
Revises: f2a6d81c3e57
Create Date: 2026-12-01 19:00:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c61d2e47'
down_revision = 'f2a6d81c3e57'
branch_labels = None
depends_on = None

# A sentence that opens with one of these words is the question ("Ms. Lee ..." is not a boundary).
_QUESTION_START = re.compile(
    r"(?:(?<=[.!:;])\s+|\n\s*)(?=(?:How|What|Which|Who|Whom|Whose|Where|When|Why|Can|Could|Is|Are|Was|Were|"
    r"Do|Does|Did|Will|Would|Should|Shall|Has|Have|If|About|Estimate)\b)")


def split_question(text: str) -> tuple[str, str]:
    """(context, question): the question split off only when the text holds exactly one question
    mark, at its end, in a sentence that starts with a question word after the context; else
    the whole text is the context and the question is empty (a facilitator can split it by hand)."""
    stripped = text.strip()
    if stripped.count("?") != 1 or not stripped.endswith("?"):
        return text, ""
    starts = list(_QUESTION_START.finditer(stripped))
    if not starts:
        return text, ""
    cut = starts[-1]
    context, question = stripped[:cut.start()].rstrip(), stripped[cut.end():].strip()
    return (context, question) if context else (text, "")


def upgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('norms', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('norms_changed_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('norms_changed_at', sa.DateTime(), nullable=True))
    op.create_table(
        'key_word',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('word', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('meaning', sa.String(length=400), nullable=False),
        sa.Column('changed_by', sa.String(length=80), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_key_word_team_id_team')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_key_word')),
        sa.UniqueConstraint('team_id', 'key', name=op.f('uq_key_word_team_id')),
    )
    with op.batch_alter_table('key_word', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_word_team_id'), ['team_id'], unique=False)
    # Renamed and dropped in place (SQLite 3.25+ and 3.35+, PostgreSQL): a batch would copy the table
    # and drop the old one, which the foreign keys of meetings, sorts and work on it do not allow.
    op.execute('ALTER TABLE task RENAME COLUMN text TO context')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question', sa.Text(), server_default='', nullable=False))
    task = sa.table('task', sa.column('id', sa.Integer()), sa.column('context', sa.Text()),
                    sa.column('question', sa.Text()))
    connection = op.get_bind()
    for task_id, text in connection.execute(sa.select(task.c.id, task.c.context)).all():
        context, question = split_question(text)
        if question:
            connection.execute(task.update().where(task.c.id == task_id).values(context=context, question=question))


def downgrade():
    task = sa.table('task', sa.column('id', sa.Integer()), sa.column('context', sa.Text()),
                    sa.column('question', sa.Text()))
    connection = op.get_bind()
    for task_id, context, question in connection.execute(
            sa.select(task.c.id, task.c.context, task.c.question).where(task.c.question != '')).all():
        connection.execute(task.update().where(task.c.id == task_id).values(context=f"{context}\n{question}"))
    op.execute('ALTER TABLE task DROP COLUMN question')
    op.execute('ALTER TABLE task RENAME COLUMN context TO text')
    with op.batch_alter_table('key_word', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_word_team_id'))
    op.drop_table('key_word')
    for column in ('norms_changed_at', 'norms_changed_by', 'norms'):
        op.execute(f'ALTER TABLE team DROP COLUMN {column}')

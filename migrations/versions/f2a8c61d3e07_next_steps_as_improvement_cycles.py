"""Next steps as improvement cycles: a person as owner, a prediction and its evidence, the step
a step adapts; statuses become decisions (tried -> planned, done -> adopted, dropped -> abandoned)

Revision ID: f2a8c61d3e07
Revises: f2a8c4d61e93
Create Date: 2026-12-01 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a8c61d3e07'
down_revision = 'f2a8c4d61e93'
branch_labels = None
depends_on = None

# Old status -> new. "Tried" carried no decision: the step stays open, what happened kept.
STATUSES = {'tried': 'planned', 'done': 'adopted', 'dropped': 'abandoned'}
# New -> old, for a downgrade ("adapted" was closed with a change in mind: done).
OLD_STATUSES = {'adopted': 'done', 'adapted': 'done', 'abandoned': 'dropped'}


def _map(statuses):
    next_step = sa.table('next_step', sa.column('status', sa.String))
    for old, new in statuses.items():
        op.execute(next_step.update().where(next_step.c.status == old).values(status=new))


def upgrade():
    with op.batch_alter_table('next_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('prediction', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('evidence', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('adapts_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_next_step_adapts_id'), ['adapts_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_next_step_adapts_id_next_step'), 'next_step', ['adapts_id'], ['id'],
                                    ondelete='SET NULL')
    _map(STATUSES)


def downgrade():
    _map(OLD_STATUSES)
    with op.batch_alter_table('next_step', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_next_step_adapts_id_next_step'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_next_step_adapts_id'))
        batch_op.drop_column('adapts_id')
        batch_op.drop_column('evidence')
        batch_op.drop_column('prediction')
        batch_op.drop_column('owner_name')

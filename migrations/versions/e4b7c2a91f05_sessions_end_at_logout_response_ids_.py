"""Sessions end at logout (user.session_version); answers' ids are never reused (SQLite AUTOINCREMENT)

Revision ID: e4b7c2a91f05
Revises: da87bc662765
Create Date: 2026-12-01 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7c2a91f05'
down_revision = 'da87bc662765'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))

    # SQLite gives the largest id's number again once its row is deleted, unless the table has
    # AUTOINCREMENT: rebuild the table with it. PostgreSQL's sequences never go back.
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('response', recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}) as batch_op:
            pass


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('response', recreate='always',
                                  table_kwargs={'sqlite_autoincrement': False}) as batch_op:
            pass

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')

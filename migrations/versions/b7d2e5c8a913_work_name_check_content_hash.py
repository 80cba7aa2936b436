"""Student work: the name check (a sample waits for a person when its name was not found with
confidence) and the content hash of each upload

Revision ID: b7d2e5c8a913
Revises: e4b7c2a91f05
Create Date: 2026-12-01 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e5c8a913'
down_revision = 'e4b7c2a91f05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work_sample', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_check', sa.String(length=8), server_default='clear', nullable=False))
        batch_op.add_column(sa.Column('name_boxes', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('name_suggestion', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('check_image_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_work_sample_content_hash'), ['content_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('work_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_sample_content_hash'))
        batch_op.drop_column('content_hash')
        batch_op.drop_column('check_image_name')
        batch_op.drop_column('name_suggestion')
        batch_op.drop_column('name_boxes')
        batch_op.drop_column('name_check')

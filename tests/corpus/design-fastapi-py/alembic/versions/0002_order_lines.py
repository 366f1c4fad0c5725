"""order lines"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id"), nullable=False),  # expect: DATA-FKINDEX
        sa.Column("product_id", sa.Integer(), sa.ForeignKey("products.id"), index=True),  # lookalike: DATA-FKINDEX
        sa.Column("sku", sa.String(64), nullable=False),
    )
    op.add_column("orders", sa.Column("coupon_id", sa.Integer(), sa.ForeignKey("coupons.id")))  # lookalike: DATA-FKINDEX
    op.create_index("ix_orders_coupon_id", "orders", ["coupon_id"])


def downgrade() -> None:
    op.drop_table("order_lines")

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Order, OrderLine

TOKEN_TTL = 3600


def issue_token(email: str) -> str:
    return secrets.token_urlsafe(32)


def order_with_lines(session: Session, order_id: int):
    order = session.get(Order, order_id)
    lines = session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).all()
    return {"order": order, "lines": lines}


def place_order(session: Session, customer_id: int, lines: list[dict]):
    order = Order(customer_id=customer_id)
    session.add(order)  # expect: DATA-TX
    session.commit()
    for line in lines:
        session.add(OrderLine(order_id=order.id, sku=line["sku"]))
    session.commit()
    return order


def place_order_atomic(session: Session, customer_id: int, lines: list[dict]):
    order = Order(customer_id=customer_id)
    session.add(order)  # lookalike: DATA-TX
    session.flush()
    session.add_all([OrderLine(order_id=order.id, sku=line["sku"]) for line in lines])
    session.commit()
    return order


def totals(session: Session):
    orders = session.scalars(select(Order)).all()
    return sum(o.customer_id for o in orders)  # lookalike: DATA-NPLUS1

"""Data access for items: every query of the service lives here."""

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import Item


def list_items(session: Session, q: str | None, limit: int, offset: int) -> list[Item]:
    stmt = select(Item).order_by(Item.sku).limit(limit).offset(offset)
    if q:
        stmt = stmt.where(Item.name.ilike(f"%{q}%"))
    return list(session.scalars(stmt))


def get_item(session: Session, item_id: int) -> Item | None:
    return session.get(Item, item_id)


def create_item(session: Session, sku: str, name: str, quantity: int) -> Item:
    item = Item(sku=sku, name=name, quantity=quantity)
    session.add(item)
    session.commit()
    return item


def restock(session: Session, item_id: int, amount: int) -> None:
    # A single UPDATE so concurrent restocks cannot lose an increment.
    session.execute(
        text("UPDATE items SET quantity = quantity + :amount, updated_at = now() WHERE id = :id"),
        {"amount": amount, "id": item_id},
    )
    session.commit()

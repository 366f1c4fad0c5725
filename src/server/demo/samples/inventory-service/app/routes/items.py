from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import Item, get_session

router = APIRouter(tags=["items"])

SessionDep = Annotated[Session, Depends(get_session)]


class ItemIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=0)


class ItemOut(ItemIn):
    model_config = ConfigDict(from_attributes=True)

    id: int


@router.get("/items", response_model=list[ItemOut])
def list_items(
    session: SessionDep,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[Item]:
    stmt = select(Item).order_by(Item.sku).limit(limit).offset(offset)
    if q:
        stmt = stmt.where(Item.name.ilike(f"%{q}%"))
    return list(session.scalars(stmt))


@router.get("/items/{item_id}", response_model=ItemOut)
def get_item(item_id: int, session: SessionDep) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="item not found")
    return item


@router.post("/items", response_model=ItemOut, status_code=status.HTTP_201_CREATED)
def create_item(payload: ItemIn, session: SessionDep) -> Item:
    item = Item(**payload.model_dump())
    session.add(item)
    session.commit()
    return item


@router.post("/items/{item_id}/restock", response_model=ItemOut)
def restock(item_id: int, amount: Annotated[int, Query(gt=0, le=10_000)], session: SessionDep) -> Item:
    # A single UPDATE so concurrent restocks cannot lose an increment.
    session.execute(
        text("UPDATE items SET quantity = quantity + :amount, updated_at = now() WHERE id = :id"),
        {"amount": amount, "id": item_id},
    )
    session.commit()
    return get_item(item_id, session)

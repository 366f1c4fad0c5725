from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from app.db import Item, get_session
from app.repositories import items as repository

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
    return repository.list_items(session, q, limit, offset)


@router.get("/items/{item_id}", response_model=ItemOut)
def get_item(item_id: int, session: SessionDep) -> Item:
    item = repository.get_item(session, item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="item not found")
    return item


@router.post("/items", response_model=ItemOut, status_code=status.HTTP_201_CREATED)
def create_item(payload: ItemIn, session: SessionDep) -> Item:
    return repository.create_item(session, payload.sku, payload.name, payload.quantity)


@router.post("/items/{item_id}/restock", response_model=ItemOut)
def restock(item_id: int, amount: Annotated[int, Query(gt=0, le=10_000)], session: SessionDep) -> Item:
    repository.restock(session, item_id, amount)
    return get_item(item_id, session)

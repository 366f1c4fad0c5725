import logging
import time

import httpx
import requests
from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import services
from app.db import Order, OrderLine, get_session

logger = logging.getLogger(__name__)
app = FastAPI()


@app.get("/orders")
async def list_orders(session: Session = Depends(get_session)):
    orders = session.scalars(select(Order).limit(50)).all()  # expect: ARCH-LAYERS
    for order in orders:
        order.lines = session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()  # expect: DATA-NPLUS1
    return orders


@app.get("/orders/{order_id}")
def get_order(order_id: int, session: Session = Depends(get_session)):
    return services.order_with_lines(session, order_id)  # lookalike: ARCH-LAYERS


@app.get("/rates")
async def rates():
    time.sleep(0.5)  # expect: ARCH-BLOCKING
    eur = requests.get("https://rates.example.com/eur", timeout=5)  # expect: ARCH-BLOCKING
    async with httpx.AsyncClient() as client:
        usd = await client.get("https://rates.example.com/usd")  # lookalike: ARCH-BLOCKING
    return {"eur": eur.json(), "usd": usd.json()}


@app.get("/report")
def report():
    time.sleep(1)  # lookalike: ARCH-BLOCKING
    return {"ok": True}


@app.post("/login")
async def login(payload: dict):
    logger.info("login for %s with %s", payload["email"], payload["password"])  # expect: OBS-LOGSECRETS
    logger.info("password reset requested for %s", payload["email"])  # lookalike: OBS-LOGSECRETS
    token = services.issue_token(payload["email"])
    logger.debug(f"issued token {token}")  # expect: OBS-LOGSECRETS
    logger.info("token issued, expires in %s s", services.TOKEN_TTL)  # lookalike: OBS-LOGSECRETS
    return {"token": token}

import os

from fastapi import FastAPI
from sqlalchemy import create_engine, text

engine = create_engine(os.getenv("DATABASE_URL", "postgresql://localhost/catalog"))  # lookalike: SEC-SECRET
app = FastAPI()
STRIPE_KEY = "sk_live_51HcQ2pLm8Rt4Yz9XwVb3Nk7Qd"  # expect: SEC-SECRET


@app.get("/products/{product_id}")
def product(product_id: int):
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM products WHERE id = :id"), {"id": product_id}).first()  # lookalike: SEC-SQLI expect: ARCH-LAYERS


@app.get("/products")
def products(category: str):
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT * FROM products WHERE category = '{category}'")).all()  # expect: SEC-SQLI expect: API-PAGINATION expect: ARCH-LAYERS


@app.get("/stats")
def stats():
    message = f"Select a category out of {len(app.routes)} routes"  # lookalike: SEC-SQLI
    return {"message": message}

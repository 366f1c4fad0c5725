import os

os.environ.setdefault("DATABASE_URL", "sqlite+pysqlite:///:memory:")

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from app.db import Base, get_session
from app.main import app


@pytest.fixture()
def client():
    engine = create_engine(
        "sqlite+pysqlite:///:memory:", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    Base.metadata.create_all(engine)
    testing_session = sessionmaker(bind=engine, expire_on_commit=False)

    def override_session():
        with testing_session() as session:
            yield session

    app.dependency_overrides[get_session] = override_session
    yield TestClient(app)
    app.dependency_overrides.clear()


def test_created_item_can_be_read_back(client):
    created = client.post("/v1/items", json={"sku": "CHAIR-01", "name": "Oak chair", "quantity": 4})
    assert created.status_code == 201
    item_id = created.json()["id"]

    fetched = client.get(f"/v1/items/{item_id}")
    assert fetched.status_code == 200
    assert fetched.json()["name"] == "Oak chair"


def test_unknown_item_is_404(client):
    assert client.get("/v1/items/999").status_code == 404


def test_negative_quantity_is_rejected(client):
    response = client.post("/v1/items", json={"sku": "LAMP-02", "name": "Desk lamp", "quantity": -1})
    assert response.status_code == 422


def test_search_filters_by_name(client):
    client.post("/v1/items", json={"sku": "CHAIR-01", "name": "Oak chair", "quantity": 4})
    client.post("/v1/items", json={"sku": "TABLE-01", "name": "Oak table", "quantity": 1})
    client.post("/v1/items", json={"sku": "LAMP-02", "name": "Desk lamp", "quantity": 9})
    names = [item["name"] for item in client.get("/v1/items", params={"q": "oak"}).json()]
    assert names == ["Oak chair", "Oak table"]


def test_healthz_answers_without_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}

import os
import subprocess

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Invoice, get_session

app = FastAPI(title="billing")
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)  # expect: SEC-CORS
admin = FastAPI(title="billing-admin")
admin.add_middleware(CORSMiddleware, allow_origins=os.environ["ADMIN_ORIGINS"].split(","), allow_credentials=True)  # lookalike: SEC-CORS


@app.get("/invoices")
def list_invoices(session: Session = Depends(get_session)):
    return session.scalars(select(Invoice).order_by(Invoice.created_at)).all()  # expect: API-PAGINATION expect: ARCH-LAYERS


@app.get("/invoices/page")
def page_invoices(limit: int = Query(50, le=200), offset: int = 0, session: Session = Depends(get_session)):
    return session.scalars(select(Invoice).limit(limit).offset(offset)).all()  # lookalike: API-PAGINATION expect: ARCH-LAYERS


@app.post("/invoices/{invoice_id}/pdf")
def render_pdf(invoice_id: int, template: str):
    try:
        subprocess.run(f"wkhtmltopdf {template} /tmp/{invoice_id}.pdf", shell=True, check=True)  # expect: SEC-INJECTION
        subprocess.run(["wkhtmltopdf", "invoice.html", f"/tmp/{invoice_id}.pdf"], check=True)  # lookalike: SEC-INJECTION
    except Exception as exc:
        raise HTTPException(status_code=500, detail=str(exc))  # expect: SEC-ERRLEAK
    return {"ok": True}


@app.get("/invoices/{invoice_id}")
def get_invoice(invoice_id: int, session: Session = Depends(get_session)):
    invoice = session.get(Invoice, invoice_id)  # expect: ARCH-LAYERS
    if invoice is None:
        return {"error": "invoice not found"}  # expect: API-STATUS
    return invoice


@app.get("/invoices/{invoice_id}/status")
def invoice_status(invoice_id: int, session: Session = Depends(get_session)):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        return JSONResponse({"error": "invoice not found"}, status_code=404)  # lookalike: API-STATUS
    return {"status": invoice.status}


@app.post("/rates/refresh")
async def refresh_rates():
    async with httpx.AsyncClient() as client:
        rates = await client.get("http://api.exchange-rates-partner.com/latest")  # expect: SEC-TLS
        local = await client.get("http://rates-cache:8080/latest")  # lookalike: SEC-TLS
    try:
        validate(rates.json())
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc))  # lookalike: SEC-ERRLEAK
    return {"rates": rates.json(), "cached": local.json()}

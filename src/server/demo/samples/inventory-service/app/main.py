import logging

from fastapi import FastAPI, Request, Response, status
from fastapi.middleware.cors import CORSMiddleware
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_fastapi_instrumentator import Instrumentator
from pythonjsonlogger.json import JsonFormatter
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address
from sqlalchemy import text

from app.db import SessionLocal
from app.routes import items
from app.settings import get_settings

settings = get_settings()
# One JSON object per line, so the log system can filter by field.
log_handler = logging.StreamHandler()
log_handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
logging.basicConfig(level=settings.log_level.upper(), handlers=[log_handler])

app = FastAPI(title="inventory-service", version="1.3.0")
# Every route: at most 120 requests a minute per client address.
limiter = Limiter(key_func=get_remote_address, default_limits=["120/minute"])
app.state.limiter = limiter
app.add_middleware(SlowAPIMiddleware)
app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_methods=["*"])
app.include_router(items.router, prefix="/v1")


@app.middleware("http")
async def security_headers(request: Request, call_next):
    """Headers that stop MIME sniffing, framing and downgrades on every response."""
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    return response
# Prometheus metrics on /metrics, OpenTelemetry traces (exporter set by OTEL_* variables).
Instrumentator().instrument(app).expose(app, include_in_schema=False)
FastAPIInstrumentor.instrument_app(app)


@app.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    """Liveness: the process is up and serving requests."""
    return {"status": "ok"}


@app.get("/readyz", include_in_schema=False)
def readyz(response: Response) -> dict[str, str]:
    """Readiness: the database answers."""
    try:
        with SessionLocal() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        logging.getLogger(__name__).exception("readiness check failed")
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "unavailable"}
    return {"status": "ready"}

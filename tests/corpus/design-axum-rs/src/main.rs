use axum::extract::{Json, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::time::Duration;

mod repo;

#[derive(Serialize, sqlx::FromRow)]
struct Order {
    id: i64,
    customer_id: i64,
}

#[derive(Serialize, sqlx::FromRow)]
struct Item {
    sku: String,
}

#[derive(Deserialize)]
struct Login {
    email: String,
    password: String,
}

async fn list_orders(State(pool): State<PgPool>) -> Result<Json<Vec<(i64, Vec<Item>)>>, StatusCode> {
    let orders = sqlx::query_as::<_, Order>("SELECT id, customer_id FROM orders ORDER BY id DESC LIMIT 50") // expect: ARCH-LAYERS
        .fetch_all(&pool)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let mut out = Vec::new();
    for order in &orders {
        let items = sqlx::query_as::<_, Item>("SELECT sku FROM items WHERE order_id = $1") // expect: DATA-NPLUS1
            .bind(order.id)
            .fetch_all(&pool)
            .await
            .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
        out.push((order.id, items));
    }
    Ok(Json(out))
}

async fn get_order(State(pool): State<PgPool>, Path(id): Path<i64>) -> Result<Json<Vec<String>>, StatusCode> {
    let skus = repo::item_skus(&pool, id).await.map_err(|_| StatusCode::NOT_FOUND)?; // lookalike: ARCH-LAYERS
    Ok(Json(skus))
}

async fn export() -> String {
    std::thread::sleep(Duration::from_millis(200)); // expect: ARCH-BLOCKING
    let template = std::fs::read_to_string("templates/export.txt").unwrap_or_default(); // expect: ARCH-BLOCKING
    tokio::time::sleep(Duration::from_millis(10)).await; // lookalike: ARCH-BLOCKING
    let data = tokio::task::spawn_blocking(|| std::fs::read("data.bin")).await; // lookalike: ARCH-BLOCKING
    format!("{template}{}", data.map(|d| d.map(|b| b.len()).unwrap_or(0)).unwrap_or(0))
}

async fn login(Json(body): Json<Login>) -> StatusCode {
    tracing::info!(email = %body.email, password = %body.password, "login"); // expect: OBS-LOGSECRETS
    tracing::info!(email = %body.email, "login attempt"); // lookalike: OBS-LOGSECRETS
    StatusCode::NO_CONTENT
}

fn load_config() -> String {
    std::fs::read_to_string("config.toml").unwrap_or_default() // lookalike: ARCH-BLOCKING
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().json().init();
    let _config = load_config();
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").unwrap()).await.unwrap();
    let app = Router::new()
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/export", get(export))
        .route("/login", post(login))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app)
        .with_graceful_shutdown(async { tokio::signal::ctrl_c().await.unwrap() })
        .await
        .unwrap();
}

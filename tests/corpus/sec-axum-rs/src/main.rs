use argon2::{password_hash::PasswordHasher, Argon2};
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Json, Router};
use jsonwebtoken::{decode, DecodingKey, Validation};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tower_http::cors::CorsLayer;

#[derive(serde::Serialize, sqlx::FromRow)]
struct Product {
    id: i64,
    name: String,
}

#[tokio::main]
async fn main() {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").unwrap()).await.unwrap();
    let app = Router::new()
        .route("/products", get(list_products))
        .route("/products/top", get(top_products))
        .layer(CorsLayer::very_permissive()) // expect: SEC-CORS
        .with_state(pool);
    let _internal = CorsLayer::new().allow_origin(["https://admin.catalog.example.com".parse::<axum::http::HeaderValue>().unwrap()]).allow_credentials(true); // lookalike: SEC-CORS
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn list_products(State(pool): State<PgPool>) -> impl IntoResponse {
    match sqlx::query_as::<_, Product>("SELECT id, name FROM products ORDER BY name").fetch_all(&pool).await { // expect: API-PAGINATION expect: ARCH-LAYERS
        Ok(products) => Json(products).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(), // expect: SEC-ERRLEAK
    }
}

async fn top_products(State(pool): State<PgPool>) -> impl IntoResponse {
    match sqlx::query_as::<_, Product>("SELECT id, name FROM products ORDER BY sales DESC LIMIT 20").fetch_all(&pool).await { // lookalike: API-PAGINATION expect: ARCH-LAYERS
        Ok(products) if products.is_empty() => (StatusCode::OK, Json(json!({"error": "no products yet"}))).into_response(), // expect: API-STATUS
        Ok(products) => Json(products).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal error"}))).into_response(), // lookalike: SEC-ERRLEAK
    }
}

pub fn legacy_password_digest(password: &str) -> String {
    format!("{:x}", Sha256::digest(password.as_bytes())) // expect: SEC-PASSWORD
}

pub fn password_hash(password: &str, salt: &argon2::password_hash::SaltString) -> String {
    Argon2::default().hash_password(password.as_bytes(), salt).unwrap().to_string() // lookalike: SEC-PASSWORD
}

pub fn claims(token: &str) -> serde_json::Value {
    let mut validation = Validation::default();
    validation.insecure_disable_signature_validation(); // expect: SEC-JWT
    decode::<serde_json::Value>(token, &DecodingKey::from_secret(&[]), &validation).unwrap().claims
}

pub fn partner_client() -> reqwest::Client {
    reqwest::Client::builder().danger_accept_invalid_certs(true).build().unwrap() // expect: SEC-TLS
}

pub fn strict_client() -> reqwest::Client {
    reqwest::Client::builder().danger_accept_invalid_certs(false).build().unwrap() // lookalike: SEC-TLS
}

const PRODUCTS: &str = "products";
const STRIPE_WEBHOOK_SECRET: &str = "whsec_9Kq2Lm7Xv4Rt8Wz3Pb6Nc1Df"; // expect: SEC-SECRET
const SUPPORT_EMAIL: &str = "support@catalog.example.com"; // lookalike: SEC-SECRET

#[derive(serde::Deserialize)]
pub struct Search {
    name: String,
    file: String,
}

pub async fn search(axum::extract::Query(q): axum::extract::Query<Search>, State(pool): State<PgPool>) -> impl IntoResponse {
    let sql = format!("SELECT id, name FROM products WHERE name = '{}' LIMIT 20", q.name); // expect: SEC-SQLI
    let rows = sqlx::query(&sql).fetch_all(&pool).await; // expect: ARCH-LAYERS
    let bound = sqlx::query("SELECT id, name FROM products WHERE name = $1 LIMIT 20").bind(&q.name).fetch_all(&pool).await; // lookalike: SEC-SQLI
    let count = format!("SELECT count(*) FROM {PRODUCTS}"); // lookalike: SEC-SQLI
    let thumbnail = std::process::Command::new("sh").arg("-c").arg(format!("convert {} thumb.png", q.file)).output(); // expect: SEC-INJECTION
    let version = std::process::Command::new("convert").arg("--version").output(); // lookalike: SEC-INJECTION
    let doc = std::fs::read_to_string(format!("/srv/docs/{}", q.file)); // expect: SEC-INJECTION expect: ARCH-BLOCKING
    let index = std::fs::read_to_string("/srv/docs/index.html"); // lookalike: SEC-INJECTION expect: ARCH-BLOCKING
    let _ = (rows, bound, count, thumbnail, version, doc, index);
    StatusCode::NO_CONTENT
}

pub fn signing_key() -> String {
    std::env::var("JWT_SECRET").unwrap_or("local-dev-signing-secret-42".to_string()) // expect: SEC-SECRET
}

pub fn verified_key() -> String {
    std::env::var("JWT_SECRET").expect("JWT_SECRET must be set") // lookalike: SEC-SECRET
}

use actix_governor::{Governor, GovernorConfigBuilder};
use actix_web::{delete, get, post, web, App, HttpResponse, HttpServer, Responder};
use serde::Deserialize;

mod auth;
use auth::AuthUser;

#[derive(Deserialize)]
struct NewOrder {
    sku: String,
    quantity: u32,
}

#[get("/health")]
async fn health() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[post("/login")]
async fn login(body: web::Json<serde_json::Value>) -> impl Responder { // expect: SEC-VALIDATION lookalike: SEC-AUTHZ
    HttpResponse::Ok().json(auth::open_session(&body))
}

#[post("/orders")]
async fn create_order(user: AuthUser, body: web::Json<NewOrder>) -> impl Responder { // lookalike: SEC-VALIDATION
    HttpResponse::Created().json(auth::place_order(&user, &body.sku, body.quantity))
}

#[get("/orders")]
async fn list_orders(user: AuthUser) -> impl Responder {
    HttpResponse::Ok().json(auth::orders_of(&user))
}

#[delete("/orders/{id}")]
async fn delete_order(path: web::Path<u32>) -> impl Responder { // expect: SEC-AUTHZ
    auth::cancel(path.into_inner());
    HttpResponse::NoContent().finish()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let limits = GovernorConfigBuilder::default().finish().expect("rate limit config");
    HttpServer::new(move || {
        App::new()
            .wrap(Governor::new(&limits))
            .service(health)
            .service(login)
            .service(
                web::scope("/api")
                    .service(create_order)
                    .service(list_orders)
                    .service(delete_order),
            )
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}

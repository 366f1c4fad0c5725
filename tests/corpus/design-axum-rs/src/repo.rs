use sqlx::PgPool;

pub struct NewOrder {
    pub customer_id: i64,
    pub skus: Vec<String>,
}

pub async fn item_skus(pool: &PgPool, order_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT sku FROM items WHERE order_id = $1")
        .bind(order_id)
        .fetch_all(pool)
        .await
}

pub async fn create_order(pool: &PgPool, input: &NewOrder) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id") // expect: DATA-TX
        .bind(input.customer_id)
        .fetch_one(pool)
        .await?;
    for sku in &input.skus {
        sqlx::query("INSERT INTO items (order_id, sku) VALUES ($1, $2)") // lookalike: DATA-NPLUS1
            .bind(id)
            .bind(sku)
            .execute(pool)
            .await?;
    }
    Ok(id)
}

pub async fn create_order_tx(pool: &PgPool, input: &NewOrder) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id") // lookalike: DATA-TX
        .bind(input.customer_id)
        .fetch_one(&mut *tx)
        .await?;
    for sku in &input.skus {
        sqlx::query("INSERT INTO items (order_id, sku) VALUES ($1, $2)")
            .bind(id)
            .bind(sku)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

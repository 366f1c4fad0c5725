CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id), -- expect: DATA-FKINDEX
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE items (
    order_id BIGINT NOT NULL REFERENCES orders (id), -- lookalike: DATA-FKINDEX
    sku TEXT NOT NULL,
    PRIMARY KEY (order_id, sku)
);

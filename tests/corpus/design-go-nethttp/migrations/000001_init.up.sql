CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id), -- expect: DATA-FKINDEX
    status TEXT NOT NULL DEFAULT 'new',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id), -- lookalike: DATA-FKINDEX
    sku TEXT NOT NULL
);

CREATE INDEX order_items_order_id_idx ON order_items (order_id);

CREATE TABLE audit (
    order_id BIGINT NOT NULL,
    affected BIGINT NOT NULL,
    CONSTRAINT audit_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) -- expect: DATA-FKINDEX
);

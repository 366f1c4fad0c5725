package main

import (
	"context"
	"database/sql"
)

type OrderStore struct {
	db *sql.DB
}

func (st *OrderStore) Create(ctx context.Context, in orderInput) (int64, error) {
	res, err := st.db.ExecContext(ctx, "INSERT INTO orders (customer_id) VALUES ($1)", in.CustomerID) // expect: DATA-TX
	if err != nil {
		return 0, err
	}
	id, _ := res.LastInsertId()
	for _, sku := range in.Items {
		if _, err := st.db.ExecContext(ctx, "INSERT INTO order_items (order_id, sku) VALUES ($1, $2)", id, sku); err != nil { // lookalike: DATA-NPLUS1
			return 0, err
		}
	}
	return id, nil
}

func (st *OrderStore) Cancel(ctx context.Context, id int64) error {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE orders SET status = 'cancelled' WHERE id = $1", id) // lookalike: DATA-TX
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, "INSERT INTO audit (order_id, affected) VALUES ($1, $2)", id, n); err != nil {
		return err
	}
	return tx.Commit()
}

func (st *OrderStore) Touch(ctx context.Context, id int64) error {
	if _, err := st.db.ExecContext(ctx, "UPDATE orders SET updated_at = now() WHERE id = $1", id); err != nil { // lookalike: DATA-TX
		return err
	}
	_, err := st.db.ExecContext(ctx, "INSERT INTO audit (order_id, affected) VALUES ($1, 1)", id)
	return err
}

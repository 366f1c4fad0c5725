import { Router } from "express";
import { pool, OrderRow } from "../db";
import { requireAuth } from "../auth";

export const ordersRouter = Router();

ordersRouter.use(requireAuth);

// GET /orders?customer=<id>
ordersRouter.get("/", async (req, res, next) => {
  try {
    const { rows } = await pool.query<OrderRow>(
      "SELECT * FROM orders WHERE customer_id = '" + req.query.customer + "' ORDER BY created_at DESC",
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// GET /orders/:id
ordersRouter.get("/:id", async (req, res, next) => {
  try {
    const { rows } = await pool.query<OrderRow>("SELECT * FROM orders WHERE id = $1", [req.params.id]);
    if (rows.length === 0) {
      res.status(404).json({ error: "order not found" });
      return;
    }
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// POST /orders
ordersRouter.post("/", async (req, res, next) => {
  try {
    const { customerId, items } = req.body as {
      customerId: string;
      items: { sku: string; quantity: number; priceCents: number }[];
    };
    const total = items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
    const { rows } = await pool.query<OrderRow>(
      "INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, 'pending', $2) RETURNING *",
      [customerId, total],
    );
    for (const item of items) {
      await pool.query(
        "INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES ($1, $2, $3, $4)",
        [rows[0].id, item.sku, item.quantity, item.priceCents],
      );
    }
    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

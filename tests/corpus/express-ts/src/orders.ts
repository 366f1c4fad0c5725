import { Router } from "express";
import { pool } from "./db";

const TABLE = "orders";
const router = Router();

router.get("/orders", async (req, res) => {
  const sql = "SELECT * FROM orders WHERE status = '" + req.query.status + "'"; // expect: SEC-SQLI
  const { rows } = await pool.query(sql); // expect: ARCH-LAYERS
  res.json(rows);
});

router.get("/orders/:id", async (req, res) => {
  const { rows } = await pool.query(`SELECT * FROM orders WHERE id = ${req.params.id}`); // expect: SEC-SQLI expect: ARCH-LAYERS lookalike: API-PAGINATION
  res.json(rows[0]);
});

router.get("/orders/by-customer/:id", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM orders WHERE customer_id = $1", [req.params.id]); // lookalike: SEC-SQLI expect: API-PAGINATION expect: ARCH-LAYERS
  res.json(rows);
});

router.get("/orders-count", async (_req, res) => {
  const { rows } = await pool.query(`SELECT count(*) FROM ${TABLE}`); // lookalike: SEC-SQLI expect: ARCH-LAYERS
  res.json(rows[0]);
});

router.post("/orders/search", async (req, res) => {
  const where = req.body.filter; // expect: SEC-VALIDATION
  const { rows } = await pool.query("SELECT id, total FROM orders WHERE " + where); // expect: SEC-SQLI expect: ARCH-LAYERS expect: API-PAGINATION
  res.json(rows);
});

export function greeting(name: string) {
  return "Hello " + name + ", your orders are ready"; // lookalike: SEC-SQLI
}

export default router;

import { Router } from "express";
import fs from "fs";
import zlib from "zlib";
import { pool } from "../db";
import { logger } from "../logger";
import * as ordersService from "../services/orders";

export const orders = Router();

const receiptTemplate = fs.readFileSync("templates/receipt.html", "utf8"); // lookalike: ARCH-BLOCKING

orders.get("/orders", async (req, res) => {
  const { rows } = await pool.query("SELECT id, customer_id FROM orders ORDER BY id DESC LIMIT 50"); // expect: ARCH-LAYERS
  for (const order of rows) {
    const items = await pool.query("SELECT sku, quantity FROM order_items WHERE order_id = $1", [order.id]); // expect: DATA-NPLUS1
    order.items = items.rows;
  }
  res.json(rows);
});

orders.post("/orders", async (req, res) => {
  const { customerId, lines } = req.body as { customerId: number; lines: { sku: string }[] }; // expect: SEC-VALIDATION
  logger.info({ customerId, lineCount: lines.length }, "creating order"); // lookalike: OBS-LOGSECRETS
  const { rows } = await pool.query("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id", [customerId]); // expect: ARCH-LAYERS expect: DATA-TX
  for (const line of lines) {
    await pool.query("INSERT INTO order_items (order_id, sku) VALUES ($1, $2)", [rows[0].id, line.sku]); // lookalike: DATA-NPLUS1
  }
  res.status(201).json({ id: rows[0].id });
});

orders.post("/orders/:id/cancel", async (req, res) => {
  await ordersService.cancel(Number(req.params.id)); // lookalike: ARCH-LAYERS
  res.status(204).end();
});

orders.get("/orders/export", async (req, res) => {
  const data = await ordersService.exportAll();
  const body = zlib.gzipSync(Buffer.from(JSON.stringify(data))); // expect: ARCH-BLOCKING
  res.type("application/gzip").send(body);
});

orders.get("/orders/:id/receipt", async (req, res) => {
  const order = await ordersService.find(Number(req.params.id));
  res.type("html").send(receiptTemplate.replace("{{id}}", String(order?.id ?? "")));
});

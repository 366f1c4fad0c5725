const fastify = require("fastify")({ logger: true });
const Database = require("better-sqlite3");
const db = new Database("inventory.db");

const slackToken = "xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUvWx"; // expect: SEC-SECRET

fastify.get("/items", async (request) => {
  const sort = request.query.sort;
  return db.prepare("SELECT * FROM items ORDER BY " + sort).all(); // expect: SEC-SQLI expect: API-PAGINATION
});

fastify.get("/items/:sku", async (request) => {
  return db.prepare("SELECT * FROM items WHERE sku = ?").get(request.params.sku); // lookalike: SEC-SQLI
});

fastify.delete("/items/:sku", async (request) => {
  db.exec(`DELETE FROM items WHERE sku = '${request.params.sku}'`); // expect: SEC-SQLI
  return { ok: true };
});

fastify.get("/healthz", async () => ({ status: "ok", message: "select a region to start" })); // lookalike: SEC-SQLI

fastify.listen({ port: Number(process.env.PORT) || 3000 });

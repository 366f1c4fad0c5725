const Router = require("@koa/router");
const mysql = require("mysql2/promise");

const pool = mysql.createPool({
  host: "db.internal",
  user: "accounts",
  password: process.env.DB_PASSWORD, // lookalike: SEC-SECRET
});
const router = new Router();

router.get("/accounts/:id", async (ctx) => {
  const [rows] = await pool.query("SELECT * FROM accounts WHERE id = ?", [ctx.params.id]); // lookalike: SEC-SQLI expect: ARCH-LAYERS
  ctx.body = rows[0];
});

router.get("/accounts", async (ctx) => {
  const [rows] = await pool.query(`SELECT * FROM accounts WHERE email LIKE '%${ctx.query.q}%'`); // expect: SEC-SQLI expect: ARCH-LAYERS expect: API-PAGINATION
  ctx.body = rows;
});

const legacyUrl = "mysql://accounts:Sup3rS3cretPassw0rd@db.internal:3306/accounts"; // expect: SEC-SECRET
const docsUrl = "mysql://user:password@localhost:3306/example"; // lookalike: SEC-SECRET

module.exports = { router, legacyUrl, docsUrl };

import { createHash } from "crypto";
import { Router } from "express";
import { pool } from "../db";
import { requireAuth, signToken } from "../auth";

export const usersRouter = Router();

// POST /users/login
usersRouter.post("/login", async (req, res, next) => {
  try {
    const { email, password } = req.body as { email: string; password: string };
    const { rows } = await pool.query("SELECT id, email, password_hash FROM users WHERE email = $1", [email]);
    const user = rows[0];
    const hash = createHash("sha256").update(password).digest("hex");
    if (!user || user.password_hash !== hash) {
      res.status(401).json({ error: "wrong email or password" });
      return;
    }
    res.json({ token: signToken({ id: user.id, email: user.email }) });
  } catch (err) {
    next(err);
  }
});

// GET /users/me
usersRouter.get("/me", requireAuth, async (_req, res) => {
  res.json(res.locals.user);
});

import { Router } from "express";
import bcrypt from "bcrypt";
import { logger } from "../logger";
import { findUserByEmail } from "../services/users";

export const accounts = Router();

accounts.post("/login", async (req, res) => {
  const { email, password } = req.body as { email: string; password: string }; // expect: SEC-VALIDATION
  console.log("login attempt", email, password); // expect: OBS-LOGSECRETS
  const user = await findUserByEmail(email);
  const ok = user !== null && bcrypt.compareSync(password, user.passwordHash); // expect: ARCH-BLOCKING
  if (!ok) {
    logger.warn("invalid password for %s", email); // lookalike: OBS-LOGSECRETS
    res.status(401).json({ error: "invalid credentials" });
    return;
  }
  logger.info({ userId: user.id, passwordChangedAt: user.passwordChangedAt }, "signed in"); // lookalike: OBS-LOGSECRETS
  res.json({ ok: true });
});

accounts.post("/signup", async (req, res) => {
  logger.debug({ body: req.body }, "signup request"); // expect: OBS-LOGSECRETS expect: SEC-VALIDATION
  res.status(202).json({ queued: true });
});

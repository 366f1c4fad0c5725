import { Router } from "express";
import { createHash } from "crypto";
import bcrypt from "bcrypt";
import jwt from "jsonwebtoken";
import { prisma } from "./db";

export const accounts = Router();

export function currentUserId(header: string): string {
  const claims = jwt.decode(header.replace("Bearer ", "")) as { sub: string }; // expect: SEC-JWT
  return claims.sub;
}

export function verifiedUserId(header: string): string {
  const token = header.replace("Bearer ", "");
  jwt.verify(token, process.env.JWT_SECRET as string, { algorithms: ["HS256"] }); // lookalike: SEC-JWT
  const claims = jwt.decode(token) as { sub: string }; // lookalike: SEC-JWT
  return claims.sub;
}

export function legacyClaims(token: string) {
  return jwt.verify(token, process.env.JWT_SECRET as string, { algorithms: ["HS256", "none"] }); // expect: SEC-JWT
}

accounts.post("/signup", async (req, res) => {
  const legacyHash = createHash("md5").update(req.body.password).digest("hex"); // expect: SEC-PASSWORD expect: SEC-VALIDATION
  const passwordHash = await bcrypt.hash(req.body.password, 12); // lookalike: SEC-PASSWORD
  const user = await prisma.user.create({ data: { email: req.body.email, passwordHash, legacyHash } }); // expect: ARCH-LAYERS
  res.status(201).json({ id: user.id });
});

accounts.post("/import", async (req, res) => {
  await prisma.user.create({ data: { email: req.body.email, password: req.body.password } }); // expect: SEC-PASSWORD expect: SEC-VALIDATION expect: ARCH-LAYERS
  res.status(201).end();
});

accounts.post("/login", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { email: req.body.email } }); // expect: SEC-VALIDATION expect: ARCH-LAYERS
  if (!user || user.password !== req.body.password) { // expect: SEC-PASSWORD
    res.status(401).json({ error: "wrong email or password" }); // lookalike: API-STATUS
    return;
  }
  res.json({ token: jwt.sign({ sub: user.id }, process.env.JWT_SECRET as string, { expiresIn: "1h" }) });
});

accounts.post("/reset", async (req, res) => {
  const tokenHash = createHash("sha256").update(req.body.resetToken).digest("hex"); // lookalike: SEC-PASSWORD expect: SEC-VALIDATION
  const ok = await prisma.resetToken.findUnique({ where: { tokenHash } }); // expect: ARCH-LAYERS
  if (!ok) {
    res.json({ error: "unknown or expired reset token" }); // expect: API-STATUS
    return;
  }
  res.status(204).end();
});

accounts.get("/", async (_req, res) => {
  res.json(await prisma.user.findMany({ orderBy: { createdAt: "desc" } })); // expect: API-PAGINATION expect: ARCH-LAYERS
});

accounts.get("/recent", async (req, res) => {
  const take = Math.min(Number(req.query.limit ?? 50), 200);
  res.json(await prisma.user.findMany({ take, orderBy: { createdAt: "desc" } })); // lookalike: API-PAGINATION expect: ARCH-LAYERS
});

accounts.get("/:id", async (req, res) => {
  try {
    res.json(await prisma.user.findUniqueOrThrow({ where: { id: req.params.id } })); // expect: ARCH-LAYERS
  } catch (err) {
    res.status(404).json({ error: (err as Error).message }); // lookalike: SEC-ERRLEAK
  }
});

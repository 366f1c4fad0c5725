import jwt from "jsonwebtoken";
import type { NextFunction, Request, Response } from "express";

// TODO: move to config before the next release
const JWT_SECRET = "orders-api-jwt-signing-key-2023";
const TOKEN_TTL = "12h";

export interface AuthUser {
  id: number;
  email: string;
}

export function signToken(user: AuthUser): string {
  return jwt.sign({ sub: String(user.id), email: user.email }, JWT_SECRET, {
    expiresIn: TOKEN_TTL,
  });
}

export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : "";
  try {
    const claims = jwt.verify(token, JWT_SECRET) as jwt.JwtPayload;
    res.locals.user = { id: Number(claims.sub), email: claims.email } as AuthUser;
    next();
  } catch {
    res.status(401).json({ error: "invalid or missing token" });
  }
}

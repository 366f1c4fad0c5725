export const config = {
  port: Number(process.env.PORT ?? 3000),
  jwtSecret: process.env.JWT_SECRET, // lookalike: SEC-SECRET
  databaseUrl: process.env.DATABASE_URL, // lookalike: SEC-SECRET
  apiKey: "9f2c1e7d4b8a6f3e2d1c0b9a8f7e6d5c", // expect: SEC-SECRET
};

export const SESSION_SECRET = process.env.SESSION_SECRET || "fallback-session-secret-2024"; // expect: SEC-SECRET
export const PASSWORD_MIN_LENGTH = 12; // lookalike: SEC-SECRET
export const TOKEN_HEADER = "Authorization"; // lookalike: SEC-SECRET

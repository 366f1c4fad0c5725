import { Hono } from "hono";
import { jwt } from "hono/jwt";
import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { notes, sessions } from "./services";

const app = new Hono();
const NewNote = z.object({ title: z.string().min(1).max(200), body: z.string().max(10_000) });

app.get("/health", (c) => c.text("ok"));

app.post("/login", async (c) => { // lookalike: SEC-AUTHZ
  const creds = await c.req.json(); // expect: SEC-VALIDATION
  return c.json(await sessions.open(creds));
});

app.use("/notes/*", jwt({ secret: process.env.JWT_SECRET ?? "" }));

app.get("/notes", async (c) => c.json(await notes.list()));

app.post("/notes", zValidator("json", NewNote), async (c) => { // lookalike: SEC-VALIDATION
  return c.json(await notes.create(c.req.valid("json")), 201);
});

app.put("/notes/:id", async (c) => {
  const patch = await c.req.json(); // expect: SEC-VALIDATION
  return c.json(await notes.update(c.req.param("id"), patch));
});

app.delete("/admin/notes/:id", async (c) => { // expect: SEC-AUTHZ
  await notes.remove(c.req.param("id"));
  return c.body(null, 204);
});

app.post("/webhooks/billing", async (c) => { // lookalike: SEC-AUTHZ
  await notes.billingEvent(c.req.header("x-signature") ?? "");
  return c.body(null, 204);
});

export default app;

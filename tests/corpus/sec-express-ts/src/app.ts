import express from "express";
import cors from "cors";
import https from "https";
import { accounts } from "./accounts";
import { files } from "./files";

const app = express();
const ALLOWED_ORIGINS = ["https://app.accounts.example.com"];

app.use(cors({ origin: true, credentials: true })); // expect: SEC-CORS
app.use("/public", cors({ origin: ALLOWED_ORIGINS, credentials: true })); // lookalike: SEC-CORS
app.use("/widgets", cors({ origin: "*" })); // lookalike: SEC-CORS
app.use("/accounts", accounts);
app.use("/files", files);

export const partnerAgent = new https.Agent({ rejectUnauthorized: false }); // expect: SEC-TLS
export const strictAgent = new https.Agent({ rejectUnauthorized: true }); // lookalike: SEC-TLS

export async function notifyPartner(event: object) {
  await fetch("http://hooks.partner-payments.io/events", { method: "POST", body: JSON.stringify(event) }); // expect: SEC-TLS
  await fetch("http://localhost:9000/events", { method: "POST", body: JSON.stringify(event) }); // lookalike: SEC-TLS
  await fetch("https://hooks.partner-payments.io/events", { method: "POST", body: JSON.stringify(event) }); // lookalike: SEC-TLS
}

app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ error: err.message, stack: err.stack }); // expect: SEC-ERRLEAK
});

export default app;

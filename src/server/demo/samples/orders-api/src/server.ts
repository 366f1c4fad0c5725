import express from "express";
import { ordersRouter } from "./routes/orders";
import { usersRouter } from "./routes/users";

const app = express();
const port = Number(process.env.PORT ?? 3000);

app.use(express.json());

app.use("/users", usersRouter);
app.use("/orders", ordersRouter);

app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  console.error(err);
  res.status(500).json({ error: err.message });
});

app.listen(port, () => {
  console.log(`orders-api listening on port ${port}`);
});

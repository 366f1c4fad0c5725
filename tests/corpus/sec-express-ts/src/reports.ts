import { Router } from "express";
import { AppDataSource } from "./db";
import { Report } from "./entities";

export const reports = Router();

reports.get("/by-ids", async (req, res) => {
  const ids = String(req.query.ids).split(",");
  const marks = ids.map(() => "?").join(", ");
  const rows = await AppDataSource.query(`SELECT id, title FROM reports WHERE id IN (${marks}) LIMIT 100`, ids); // lookalike: SEC-SQLI
  res.json(rows);
});

reports.get("/by-owner", async (req, res) => {
  const rows = await AppDataSource.getRepository(Report)
    .createQueryBuilder("r")
    .where(`r.owner = '${req.query.owner}'`) // expect: SEC-SQLI
    .take(100)
    .getMany();
  res.json(rows);
});

reports.get("/by-title", async (req, res) => {
  const rows = await AppDataSource.getRepository(Report)
    .createQueryBuilder("r")
    .where("r.title = :title", { title: req.query.title }) // lookalike: SEC-SQLI
    .take(100)
    .getMany();
  res.json(rows);
});

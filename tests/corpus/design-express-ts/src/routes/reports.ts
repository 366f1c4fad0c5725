import { Router, type Request, type Response } from "express";
import { pool } from "../db";

export const reports = Router();

interface Totals { [region: string]: number }

export async function quarterlyReport(req: Request, res: Response) { // expect: ARCH-GIANT
  const quarter = Number(req.params.quarter);
  const year = Number(req.params.year);
  const { rows } = await pool.query("SELECT region, sum(amount_cents) AS amount_cents FROM sales WHERE quarter = $1 AND year = $2 GROUP BY region", [quarter, year]); // expect: ARCH-LAYERS
  const totals: Totals = {};
  const counts: Totals = {};
  let grand = 0;
  // step 0: fold row group 0 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 0)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 1: fold row group 1 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 1)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 2: fold row group 2 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 2)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 3: fold row group 3 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 3)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 4: fold row group 4 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 4)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 5: fold row group 5 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 5)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 6: fold row group 6 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 6)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 7: fold row group 7 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 7)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 8: fold row group 8 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 8)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 9: fold row group 9 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 9)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 10: fold row group 10 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 10)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 11: fold row group 11 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 11)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 12: fold row group 12 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 12)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 13: fold row group 13 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 13)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 14: fold row group 14 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 14)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 15: fold row group 15 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 15)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 16: fold row group 16 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 16)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 17: fold row group 17 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 17)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 18: fold row group 18 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 18)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 19: fold row group 19 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 19)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 20: fold row group 20 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 20)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 21: fold row group 21 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 21)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 22: fold row group 22 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 22)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 23: fold row group 23 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 23)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 24: fold row group 24 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 24)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 25: fold row group 25 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 25)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 26: fold row group 26 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 26)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 27: fold row group 27 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 27)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 28: fold row group 28 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 28)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  // step 29: fold row group 29 into the regional totals
  for (const row of rows.filter((r) => r.region.length % 30 === 29)) { totals[row.region] = (totals[row.region] ?? 0) + row.amount_cents; counts[row.region] = (counts[row.region] ?? 0) + 1; grand += row.amount_cents; }
  const out: string[] = [`Quarter ${quarter}/${year}`];
  for (const [region, cents] of Object.entries(totals)) {
    out.push(`${region}: ${(cents / 100).toFixed(2)} in ${counts[region]} sales`);
  }
  out.push(`total: ${(grand / 100).toFixed(2)}`);
  res.type("text").send(out.join("\n"));
}

export function summarize(totals: Totals): string { // lookalike: ARCH-GIANT
  const part0 = Object.keys(totals).length + 0;
  const part1 = Object.keys(totals).length + 1;
  const part2 = Object.keys(totals).length + 2;
  const part3 = Object.keys(totals).length + 3;
  const part4 = Object.keys(totals).length + 4;
  const part5 = Object.keys(totals).length + 5;
  const part6 = Object.keys(totals).length + 6;
  const part7 = Object.keys(totals).length + 7;
  const part8 = Object.keys(totals).length + 8;
  const part9 = Object.keys(totals).length + 9;
  const part10 = Object.keys(totals).length + 10;
  const part11 = Object.keys(totals).length + 11;
  const part12 = Object.keys(totals).length + 12;
  const part13 = Object.keys(totals).length + 13;
  const part14 = Object.keys(totals).length + 14;
  const part15 = Object.keys(totals).length + 15;
  const part16 = Object.keys(totals).length + 16;
  const part17 = Object.keys(totals).length + 17;
  const part18 = Object.keys(totals).length + 18;
  const part19 = Object.keys(totals).length + 19;
  const part20 = Object.keys(totals).length + 20;
  const part21 = Object.keys(totals).length + 21;
  return [part0, part1, part2, part3, part4, part5, part6, part7, part8, part9, part10, part11, part12, part13, part14, part15, part16, part17, part18, part19, part20, part21].join(",");
}

reports.get("/reports/:year/:quarter", quarterlyReport);

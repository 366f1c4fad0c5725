import { Pool } from "pg";

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
});

export interface OrderRow {
  id: number;
  customer_id: string;
  status: string;
  total_cents: number;
  created_at: Date;
}

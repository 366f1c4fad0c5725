import { Controller, Get, Param, Query } from "@nestjs/common";
import { DataSource } from "typeorm";

const AWS_ACCESS_KEY_ID = "AKIAQ3EGRTYWZ7XK4PLM"; // expect: SEC-SECRET

@Controller("invoices")
export class InvoicesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(":id")
  find(@Param("id") id: string) {
    return this.dataSource.query("SELECT * FROM invoices WHERE id = $1", [id]); // lookalike: SEC-SQLI expect: ARCH-LAYERS
  }

  @Get()
  list(@Query("customer") customer: string) {
    return this.dataSource.query(`SELECT * FROM invoices WHERE customer = '${customer}'`); // expect: SEC-SQLI expect: ARCH-LAYERS expect: API-PAGINATION
  }
}

exports.up = (knex) =>
  knex.schema.createTable("order_items", (table) => {
    table.increments("id");
    table.integer("order_id").references("id").inTable("orders"); // expect: DATA-FKINDEX
    table.integer("product_id").references("products.id").index(); // lookalike: DATA-FKINDEX
    table.integer("warehouse_id").references("warehouses.id"); // lookalike: DATA-FKINDEX
    table.string("sku").notNullable();
    table.index(["warehouse_id", "sku"]);
  });

exports.down = (knex) => knex.schema.dropTable("order_items");

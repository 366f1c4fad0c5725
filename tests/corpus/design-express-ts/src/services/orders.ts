import { pool, prisma } from "../db";

export async function find(id: number) {
  const { rows } = await pool.query("SELECT id, customer_id FROM orders WHERE id = $1", [id]);
  return rows[0] ?? null;
}

export async function cancel(id: number) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query("UPDATE orders SET status = 'cancelled' WHERE id = $1 RETURNING id", [id]); // lookalike: DATA-TX
    const items = await client.query("SELECT sku, quantity FROM order_items WHERE order_id = $1", [rows[0].id]);
    for (const item of items.rows) {
      await client.query("UPDATE stock SET quantity = quantity + $1 WHERE sku = $2", [item.quantity, item.sku]); // expect: DATA-NPLUS1
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}

export async function touch(id: number) {
  await pool.query("UPDATE orders SET updated_at = now() WHERE id = $1", [id]); // lookalike: DATA-TX
  await pool.query("INSERT INTO audit_log (entity, entity_id) VALUES ('order', $1)", [id]);
}

export async function exportAll() {
  const authors = await prisma.user.findMany({ include: { posts: true } });
  let posts = 0;
  for (const author of authors) { // lookalike: DATA-NPLUS1
    posts += author.posts.length;
  }
  return { authors: authors.length, posts };
}

export async function authorsWithCounts() {
  const authors = await prisma.user.findMany();
  return Promise.all(authors.map(async (a) => ({ ...a, posts: await prisma.post.count({ where: { authorId: a.id } }) }))); // expect: DATA-NPLUS1
}

export async function publish(authorId: number, title: string) {
  return prisma.$transaction(async (tx) => {
    const post = await tx.post.create({ data: { authorId, title } }); // lookalike: DATA-TX
    await tx.user.update({ where: { id: authorId }, data: { lastPostId: post.id } });
    return post;
  });
}

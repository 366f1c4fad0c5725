DROP TABLE audit;
DROP TABLE order_items;
DROP TABLE orders;

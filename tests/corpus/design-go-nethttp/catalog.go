package main

import (
	"context"

	"gorm.io/gorm"
)

type Product struct {
	ID         uint
	CategoryID uint
	Name       string
}

type Category struct {
	ID       uint
	Name     string
	Products []Product
}

type Order struct {
	ID         uint
	CustomerID uint
}

type OrderItem struct {
	ID      uint
	OrderID uint
	SKU     string
}

type Catalog struct {
	db *gorm.DB
}

func (c *Catalog) CategoriesWithProducts(ctx context.Context) ([]Category, error) {
	var categories []Category
	if err := c.db.WithContext(ctx).Find(&categories).Error; err != nil {
		return nil, err
	}
	for i := range categories {
		c.db.WithContext(ctx).Where("category_id = ?", categories[i].ID).Find(&categories[i].Products) // expect: DATA-NPLUS1
	}
	return categories, nil
}

func (c *Catalog) CategoriesPreloaded(ctx context.Context) ([]Category, error) {
	var categories []Category
	err := c.db.WithContext(ctx).Preload("Products").Find(&categories).Error // lookalike: DATA-NPLUS1
	return categories, err
}

func (c *Catalog) PlaceOrder(customerID uint, skus []string) error {
	order := Order{CustomerID: customerID}
	if err := c.db.Create(&order).Error; err != nil { // expect: DATA-TX
		return err
	}
	for _, sku := range skus {
		item := OrderItem{OrderID: order.ID, SKU: sku}
		if err := c.db.Create(&item).Error; err != nil {
			return err
		}
	}
	return nil
}

func (c *Catalog) PlaceOrderTx(customerID uint, skus []string) error {
	return c.db.Transaction(func(tx *gorm.DB) error {
		order := Order{CustomerID: customerID}
		if err := tx.Create(&order).Error; err != nil { // lookalike: DATA-TX
			return err
		}
		for _, sku := range skus {
			if err := tx.Create(&OrderItem{OrderID: order.ID, SKU: sku}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

package main

import (
	"log"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/keyauth"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

var validate = validator.New()

type invoiceInput struct {
	Customer string  `json:"customer" validate:"required"`
	Amount   float64 `json:"amount" validate:"gt=0"`
}

func main() {
	app := fiber.New()
	app.Use(limiter.New())
	app.Get("/status", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusOK) })
	app.Post("/login", login) // lookalike: SEC-AUTHZ
	api := app.Group("/api")
	api.Use(keyauth.New(keyauth.Config{Validator: validAPIKey}))
	api.Post("/invoices", createInvoice)
	api.Get("/invoices/:id", getInvoice)
	app.Delete("/invoices/:id", deleteInvoice) // expect: SEC-AUTHZ
	log.Fatal(app.Listen(":3000"))
}

func login(c *fiber.Ctx) error {
	var creds map[string]string
	if err := c.BodyParser(&creds); err != nil { // expect: SEC-VALIDATION
		return fiber.ErrBadRequest
	}
	return c.JSON(fiber.Map{"token": sessions.Open(creds["email"], creds["password"])})
}

func createInvoice(c *fiber.Ctx) error {
	var in invoiceInput
	if err := c.BodyParser(&in); err != nil { // lookalike: SEC-VALIDATION
		return fiber.ErrBadRequest
	}
	if err := validate.Struct(in); err != nil {
		return fiber.ErrUnprocessableEntity
	}
	return c.Status(fiber.StatusCreated).JSON(invoices.Create(in.Customer, in.Amount))
}

func getInvoice(c *fiber.Ctx) error {
	return c.JSON(invoices.Find(c.Params("id")))
}

func deleteInvoice(c *fiber.Ctx) error {
	invoices.Void(c.Params("id"))
	return c.SendStatus(fiber.StatusNoContent)
}

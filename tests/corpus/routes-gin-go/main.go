package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type createOrderRequest struct {
	SKU      string `json:"sku" binding:"required"`
	Quantity int    `json:"quantity" binding:"required,gt=0"`
}

func main() {
	r := gin.Default()
	r.GET("/healthz", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.POST("/login", login) // lookalike: SEC-AUTHZ
	api := r.Group("/api", AuthRequired())
	registerOrders(api)
	r.DELETE("/api/orders/:id", cancelOrder) // expect: SEC-AUTHZ
	_ = r.Run()
}

func registerOrders(g *gin.RouterGroup) {
	g.GET("/orders", listOrders)
	g.POST("/orders", createOrder)
	g.PATCH("/orders/:id", updateOrder)
}

func login(c *gin.Context) {
	var creds struct{ Email, Password string }
	if err := c.ShouldBindJSON(&creds); err != nil { // expect: SEC-VALIDATION
		c.Status(http.StatusBadRequest)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": sessions.Open(creds.Email, creds.Password)})
}

func listOrders(c *gin.Context) {
	c.JSON(http.StatusOK, orders.List())
}

func createOrder(c *gin.Context) {
	var req createOrderRequest
	if err := c.ShouldBindJSON(&req); err != nil { // lookalike: SEC-VALIDATION
		c.Status(http.StatusBadRequest)
		return
	}
	c.JSON(http.StatusCreated, orders.Create(req.SKU, req.Quantity))
}

func updateOrder(c *gin.Context) {
	var patch map[string]any
	if err := c.ShouldBindJSON(&patch); err != nil { // expect: SEC-VALIDATION
		c.Status(http.StatusBadRequest)
		return
	}
	c.JSON(http.StatusOK, orders.Update(c.Param("id"), patch))
}

func cancelOrder(c *gin.Context) {
	orders.Cancel(c.Param("id"))
	c.Status(http.StatusNoContent)
}

package main

import (
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"net/http"
	"os"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

type Shipment struct {
	ID     uint
	Status string
}

type User struct {
	Email        string
	PasswordHash string
	LegacyHash   string
}

var db *gorm.DB

var carrierClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} // expect: SEC-TLS
var strictClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}} // lookalike: SEC-TLS

func main() {
	r := gin.Default()
	r.Use(cors.New(cors.Config{AllowAllOrigins: true, AllowCredentials: true})) // expect: SEC-CORS
	admin := r.Group("/admin")
	admin.Use(cors.New(cors.Config{AllowOrigins: []string{"https://admin.shipping.example.com"}, AllowCredentials: true})) // lookalike: SEC-CORS
	r.GET("/shipments", listShipments)
	r.GET("/shipments/recent", recentShipments)
	r.GET("/shipments/:id", getShipment)
	r.POST("/users", createUser)
	r.Run(":8080")
}

func listShipments(c *gin.Context) {
	var shipments []Shipment
	if err := db.Order("id desc").Find(&shipments).Error; err != nil { // expect: API-PAGINATION
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()}) // expect: SEC-ERRLEAK
		return
	}
	c.JSON(http.StatusOK, shipments)
}

func recentShipments(c *gin.Context) {
	var shipments []Shipment
	if err := db.Order("id desc").Limit(50).Find(&shipments).Error; err != nil { // lookalike: API-PAGINATION
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load shipments"}) // lookalike: SEC-ERRLEAK
		return
	}
	c.JSON(http.StatusOK, shipments)
}

func getShipment(c *gin.Context) {
	var s Shipment
	if err := db.First(&s, c.Param("id")).Error; err != nil { // expect: ARCH-LAYERS
		c.JSON(http.StatusOK, gin.H{"error": "shipment not found"}) // expect: API-STATUS
		return
	}
	if s.Status == "lost" {
		c.JSON(http.StatusGone, gin.H{"error": "shipment lost"}) // lookalike: API-STATUS
		return
	}
	c.JSON(http.StatusOK, s)
}

func createUser(c *gin.Context) {
	var in struct{ Email, Password string }
	if err := c.ShouldBindJSON(&in); err != nil { // expect: SEC-VALIDATION
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()}) // lookalike: SEC-ERRLEAK
		return
	}
	legacy := md5.Sum([]byte(in.Password)) // expect: SEC-PASSWORD
	hash, _ := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost) // lookalike: SEC-PASSWORD
	db.Create(&User{Email: in.Email, PasswordHash: string(hash), LegacyHash: hex.EncodeToString(legacy[:])}) // expect: ARCH-LAYERS
	c.Status(http.StatusCreated)
}

func userFromToken(raw string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, _, err := jwt.NewParser().ParseUnverified(raw, claims) // expect: SEC-JWT
	return claims, err
}

func verifiedUser(raw string) (*jwt.Token, error) {
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) { // lookalike: SEC-JWT
		return []byte(os.Getenv("JWT_KEY")), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
}

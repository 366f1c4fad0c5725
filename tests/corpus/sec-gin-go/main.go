package main

import (
	"crypto/md5"
	"crypto/tls"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

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
var sqlDB *sql.DB

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
	if err := db.Order("id desc").Find(&shipments).Error; err != nil { // expect: API-PAGINATION expect: ARCH-LAYERS
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()}) // expect: SEC-ERRLEAK
		return
	}
	c.JSON(http.StatusOK, shipments)
}

func recentShipments(c *gin.Context) {
	var shipments []Shipment
	if err := db.Order("id desc").Limit(50).Find(&shipments).Error; err != nil { // lookalike: API-PAGINATION expect: ARCH-LAYERS
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

const shipmentsTable = "shipments"

const carrierAPIKey = "ck_live_7Hq2Lm9Xv4Rt8Wz3Pb6N" // expect: SEC-SECRET
const carrierName = "Parcelforce Worldwide Express" // lookalike: SEC-SECRET

func trackingLabel(c *gin.Context) {
	carrier := c.Query("carrier")
	out, err := exec.Command("sh", "-c", "label-print --carrier "+carrier).Output() // expect: SEC-INJECTION
	if err != nil {
		c.JSON(http.StatusBadGateway, gin.H{"error": "label printer unavailable"})
		return
	}
	version, _ := exec.Command("label-print", "--version").Output() // lookalike: SEC-INJECTION
	c.JSON(http.StatusOK, gin.H{"label": string(out), "version": string(version)})
}

func shipmentDocument(c *gin.Context) {
	data, err := os.ReadFile(filepath.Join("/srv/documents", c.Param("name"))) // expect: SEC-INJECTION
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "document not found"})
		return
	}
	safe, _ := os.ReadFile(filepath.Join("/srv/documents", filepath.Base(c.Param("name")))) // lookalike: SEC-INJECTION
	c.Data(http.StatusOK, "application/pdf", append(data, safe...))
}

func searchShipments(c *gin.Context) {
	status := c.Query("status")
	rows, err := sqlDB.Query("SELECT id, status FROM shipments WHERE status = '" + status + "' LIMIT 50") // expect: SEC-SQLI expect: ARCH-LAYERS
	if err == nil {
		rows.Close()
	}
	query := fmt.Sprintf("SELECT id FROM shipments WHERE carrier = '%s' LIMIT 50", c.Query("carrier")) // expect: SEC-SQLI
	sqlDB.Query(query)
	sqlDB.Query("SELECT id FROM shipments WHERE status = $1 LIMIT 50", status)              // lookalike: SEC-SQLI
	sqlDB.Query("SELECT count(*) FROM " + shipmentsTable)                                  // lookalike: SEC-SQLI
	sqlDB.Query("SELECT id FROM shipments WHERE id IN ("+strings.Repeat("?,", 2)+"?)", 1, 2, 3) // lookalike: SEC-SQLI
	c.Status(http.StatusOK)
}

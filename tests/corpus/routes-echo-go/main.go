package main

import (
	"net/http"

	echojwt "github.com/labstack/echo-jwt/v4"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

type newUser struct {
	Email string `json:"email" validate:"required,email"`
	Role  string `json:"role" validate:"oneof=viewer editor"`
}

type newProject struct {
	Name string `json:"name"`
}

func main() {
	e := echo.New()
	e.Use(middleware.RateLimiter(middleware.NewRateLimiterMemoryStore(20)))
	e.POST("/signup", signup) // lookalike: SEC-AUTHZ
	admin := e.Group("/admin", echojwt.WithConfig(jwtConfig()))
	admin.GET("/users", listUsers)
	admin.POST("/users", createUser)
	e.POST("/projects", createProject) // expect: SEC-AUTHZ
	e.Logger.Fatal(e.Start(":8080"))
}

func signup(c echo.Context) error {
	var u newUser
	if err := c.Bind(&u); err != nil { // lookalike: SEC-VALIDATION
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err := c.Validate(&u); err != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity)
	}
	return c.JSON(http.StatusCreated, accounts.SignUp(u.Email))
}

func listUsers(c echo.Context) error {
	return c.JSON(http.StatusOK, accounts.List())
}

func createUser(c echo.Context) error {
	var u newUser
	if err := c.Bind(&u); err != nil { // lookalike: SEC-VALIDATION
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err := c.Validate(&u); err != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity)
	}
	return c.JSON(http.StatusCreated, accounts.Invite(u.Email, u.Role))
}

func createProject(c echo.Context) error {
	var p newProject
	if err := c.Bind(&p); err != nil { // expect: SEC-VALIDATION
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	return c.JSON(http.StatusCreated, projects.Create(p.Name))
}

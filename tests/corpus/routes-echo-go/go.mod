module example.com/projects

go 1.22

require (
	github.com/labstack/echo-jwt/v4 v4.2.0
	github.com/labstack/echo/v4 v4.12.0
)

module example.com/billing

go 1.22

require (
	github.com/go-playground/validator/v10 v10.22.0
	github.com/gofiber/fiber/v2 v2.52.5
)

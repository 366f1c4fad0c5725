package main

import (
	"log/slog"
	"net/http"
)

type server struct {
	orders *OrderService
	users  *UserService
}

func main() {
	s := &server{orders: NewOrderService(), users: NewUserService()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("POST /login", s.login) // lookalike: SEC-AUTHZ
	mux.Handle("GET /orders", requireAuth(http.HandlerFunc(s.listOrders)))
	mux.Handle("POST /orders", requireAuth(http.HandlerFunc(s.createOrder)))
	mux.HandleFunc("DELETE /orders/{id}", s.deleteOrder) // expect: SEC-AUTHZ
	mux.HandleFunc("GET /users/{id}", s.getUser) // expect: SEC-AUTHZ
	if err := http.ListenAndServe(":8080", mux); err != nil {
		slog.Error("server stopped", "err", err)
	}
}

func requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !validSession(r.Header.Get("Authorization")) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"time"

	_ "github.com/lib/pq"
)

type Server struct {
	db     *sql.DB
	orders *OrderStore
	log    *slog.Logger
}

type orderInput struct {
	CustomerID int64    `json:"customer_id"`
	Items      []string `json:"items"`
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), "SELECT id FROM orders ORDER BY id DESC LIMIT 50") // expect: ARCH-LAYERS
	if err != nil {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	defer rows.Close()
	counts := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			continue
		}
		var n int
		s.db.QueryRowContext(r.Context(), "SELECT count(*) FROM order_items WHERE order_id = $1", id).Scan(&n) // expect: DATA-NPLUS1
		counts[id] = n
	}
	json.NewEncoder(w).Encode(counts)
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	var in orderInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil { // expect: SEC-VALIDATION
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.log.Info("create order", "customer", in.CustomerID, "items", len(in.Items)) // lookalike: OBS-LOGSECRETS
	id, err := s.orders.Create(r.Context(), in) // lookalike: ARCH-LAYERS
	if err != nil {
		http.Error(w, "could not create the order", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"id": id})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	email, password := r.FormValue("email"), r.FormValue("password") // expect: SEC-VALIDATION
	log.Printf("login %s password=%s", email, password) // expect: OBS-LOGSECRETS
	token := "t-" + email
	slog.Info("session issued", "token", token) // expect: OBS-LOGSECRETS
	slog.Info("password changed", "user", email) // lookalike: OBS-LOGSECRETS
	time.Sleep(50 * time.Millisecond) // lookalike: ARCH-BLOCKING
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	s := &Server{db: db, orders: &OrderStore{db: db}, log: slog.Default()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders", s.listOrders)
	mux.HandleFunc("POST /orders", s.createOrder)
	mux.HandleFunc("POST /login", s.login)
	srv := &http.Server{Addr: ":8080", Handler: mux}
	go srv.ListenAndServe()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
}

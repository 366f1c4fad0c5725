package main

import (
	"encoding/json"
	"net/http"
)

type newOrder struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

func (o newOrder) Validate() error {
	if o.SKU == "" || o.Quantity <= 0 {
		return errInvalidOrder
	}
	return nil
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var creds map[string]string
	if err := json.NewDecoder(r.Body).Decode(&creds); err != nil { // expect: SEC-VALIDATION
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	token := s.users.Login(creds["email"], creds["password"])
	_ = json.NewEncoder(w).Encode(map[string]string{"token": token})
}

func (s *server) listOrders(w http.ResponseWriter, r *http.Request) {
	_ = json.NewEncoder(w).Encode(s.orders.List())
}

func (s *server) createOrder(w http.ResponseWriter, r *http.Request) {
	var in newOrder
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil { // lookalike: SEC-VALIDATION
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := in.Validate(); err != nil {
		http.Error(w, "invalid order", http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(s.orders.Create(in.SKU, in.Quantity))
}

func (s *server) deleteOrder(w http.ResponseWriter, r *http.Request) {
	s.orders.Cancel(r.PathValue("id"))
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) getUser(w http.ResponseWriter, r *http.Request) {
	_ = json.NewEncoder(w).Encode(s.users.Find(r.PathValue("id")))
}

package calc

import "testing"

func TestAddZero(t *testing.T) {
	if got := Add(1, 0); got != 0 {
		t.Fatalf("Add(1, 0) = %d, want 0", got)
	}
}

func TestAddNegative(t *testing.T) {
	if got := Add(2, -3); got != -1 {
		t.Fatalf("Add(2, -3) = %d, want -1", got)
	}
}

package main

import (
	"io"
	"net/http/httptest"
	"testing"
)

func TestHealthz(t *testing.T) {
	rec := httptest.NewRecorder()
	handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || string(body) != "ok\n" {
		t.Fatalf("GET /healthz = %d %q", rec.Code, body)
	}
}

func TestIndexShowsTheVersion(t *testing.T) {
	version = "1.4.2"
	rec := httptest.NewRecorder()
	handler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body, _ := io.ReadAll(rec.Body)
	if string(body) != "acme web 1.4.2\n" {
		t.Fatalf("GET / = %q", body)
	}
}

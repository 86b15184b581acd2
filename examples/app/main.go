// Command web serves the acme web front end: a page and a health check.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

// version is set at build time: go build -ldflags "-X main.version=1.4.2".
var version = "dev"

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "acme web %s\n", version)
	})
	return mux
}

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	log.Printf("acme web %s listening on %s", version, addr)
	log.Fatal(http.ListenAndServe(addr, handler()))
}

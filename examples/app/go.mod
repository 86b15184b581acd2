module github.com/acme/web

go 1.22

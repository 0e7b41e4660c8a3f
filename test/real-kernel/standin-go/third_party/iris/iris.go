// Package iris is a tiny stand-in for github.com/kataras/iris/v12 (oomscope's tests): an application that
// routes GET requests to handlers over net/http and prints Iris v12.2's start-up banner.
package iris

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

// Version is the Iris version the banner names.
const Version = "12.2.11"

// Context is what a handler gets.
type Context struct {
	W http.ResponseWriter
	R *http.Request
}

// WriteString answers the request.
func (c *Context) WriteString(s string) { _, _ = c.W.Write([]byte(s)) }

// Handler serves one route.
type Handler func(ctx *Context)

// Application routes requests to handlers.
type Application struct {
	routes map[string]Handler
}

// New makes an application.
func New() *Application { return &Application{routes: map[string]Handler{}} }

// Get adds a route.
func (app *Application) Get(path string, h Handler) { app.routes[path] = h }

func (app *Application) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, ok := app.routes[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h(&Context{W: w, R: r})
}

// Listen listens on addr, prints the banner (as Iris 12.2 does) and serves until the process ends.
func (app *Application) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	host, _, _ := net.SplitHostPort(addr)
	fmt.Fprintf(os.Stdout, "Iris Version: %s\n\nNow listening on: \n> Network:  http://%s:%s\n> Local:    http://localhost:%s\nApplication started. Press CTRL+C to shut down.\n\n", Version, host, port, port)
	return http.Serve(ln, app)
}

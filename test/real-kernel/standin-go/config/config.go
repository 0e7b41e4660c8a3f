// Package config holds the settings AnQiCMS reads from its config.json; the stand-in takes them from the
// command line and the environment.
package config

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
)

// Server is the part of the configuration the stand-in uses.
type Server struct {
	Port int
	// DBAddr is MySQL's host:port; empty means no database.
	DBAddr string
	// Die makes the process die this way right after start-up (for capturing traces); see provider.Deaths.
	Die string
	// LeakMaxMiB caps a leak that nothing kills.
	LeakMaxMiB int
}

// ExecPath is the install directory with a trailing slash, as AnQiCMS logs it first thing. AnQiCMS takes the
// executable's directory; the tests run the binary from elsewhere through a wrapper that cds to the install
// directory first (as start.sh does), so the working directory is it.
var ExecPath = execPath()

func execPath() string {
	if dir := os.Getenv("ANQICMS_EXEC_DIR"); dir != "" {
		return filepath.Clean(dir) + "/"
	}
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	return dir + "/"
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// Load reads the settings: --port, else $ANQICMS_PORT, else 8001.
func Load() *Server {
	s := &Server{}
	flag.IntVar(&s.Port, "port", envInt("ANQICMS_PORT", 8001), "port to listen on")
	flag.Parse()
	s.DBAddr = os.Getenv("ANQICMS_DB_ADDR")
	s.Die = os.Getenv("ANQICMS_DIE")
	s.LeakMaxMiB = envInt("ANQICMS_LEAK_MAX_MB", 1024)
	return s
}

// Command devdb runs FerretDB v2 (MongoDB wire protocol) in front of a local PostgreSQL with the
// DocumentDB extension, for development and tests: no MongoDB server has to be installed.
// scripts/devdb/engine.mjs builds it and starts PostgreSQL; this program only speaks the protocol.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/v2/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (loopback only)")
	postgres := flag.String("postgresql-url", "", "PostgreSQL URL of the cluster with the DocumentDB extension")
	stateDir := flag.String("state-dir", "", "directory for FerretDB's own state file (created if missing)")
	logLevel := flag.String("log-level", "error", "log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", false, "shut down when standard input closes (the parent process died)")
	flag.Parse()

	if err := run(*listen, *postgres, *stateDir, *logLevel, *watchStdin); err != nil {
		fmt.Fprintf(os.Stderr, "devdb: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, postgres, stateDir, logLevel string, watchStdin bool) error {
	if postgres == "" || stateDir == "" {
		return fmt.Errorf("-postgresql-url and -state-dir are required")
	}

	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("invalid -listen %q: %w", listen, err)
	}
	// A development database without authentication must never be reachable from the network.
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-listen must be a loopback address, got %q", listen)
	}

	var level slog.Level
	if err = level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}
	if err = os.MkdirAll(stateDir, 0o700); err != nil {
		return err
	}

	telemetry := false
	f, err := ferretdb.New(&ferretdb.Config{
		PostgreSQLURL: postgres,
		ListenAddr:    listen,
		StateDir:      stateDir,
		LogLevel:      level,
		LogOutput:     os.Stderr,
		Telemetry:     &telemetry,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if watchStdin {
		// A parent killed without a chance to clean up closes our stdin; do not outlive it.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan struct{})
	go func() {
		f.Run(ctx)
		close(done)
	}()

	// MongoDBURI blocks until the listener is up.
	uri := f.MongoDBURI()
	if err = waitAccepting(ctx, listen); err != nil {
		stop()
		<-done
		return err
	}
	fmt.Printf("ready %s\n", uri)

	<-ctx.Done()
	// Restore default signal handling so that a second signal kills the process at once.
	stop()
	select {
	case <-done:
		return nil
	case <-time.After(15 * time.Second):
		return fmt.Errorf("shutdown timed out")
	}
}

// waitAccepting dials the listener until a connection succeeds.
func waitAccepting(ctx context.Context, addr string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return conn.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("listener at %s does not accept connections: %w", addr, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

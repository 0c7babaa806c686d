// Command devdb runs FerretDB (MongoDB wire protocol) on SQLite files for local
// development and tests, so that no MongoDB server has to be installed. Clients connect
// to a small proxy that makes single-document updates atomic (see serialize.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (loopback only)")
	dir := flag.String("dir", "", "directory for the SQLite database files (created if missing)")
	// FerretDB logs every error reply at warn, including duplicate keys the application expects.
	logLevel := flag.String("log-level", "error", "log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", false, "shut down when standard input closes (the parent process died)")
	flag.Parse()

	if err := run(*listen, *dir, *logLevel, *watchStdin); err != nil {
		fmt.Fprintf(os.Stderr, "devdb: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dir, logLevel string, watchStdin bool) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
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

	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// The SQLite backend requires the directory to exist.
	if err = os.MkdirAll(abs, 0o700); err != nil {
		return err
	}

	// A file URL built this way survives spaces and other special characters in the path.
	sqliteURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Bind the public port first so that a port conflict fails before any database work.
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	defer ln.Close()

	// FerretDB itself listens on a private loopback port behind the write serializer.
	// The embeddable package never starts the telemetry reporter and disables telemetry itself.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}
	backend, err := url.Parse(f.MongoDBURI())
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

	ferretCtx, stopFerret := context.WithCancel(context.Background())
	defer stopFerret()
	done := make(chan error, 1)
	go func() { done <- f.Run(ferretCtx) }()

	s := newSerializer(backend.Host)
	go s.serve(ln, func(format string, args ...any) { logger.Warn(fmt.Sprintf(format, args...)) })

	if err = waitAccepting(ctx, ln.Addr().String()); err != nil {
		stopFerret()
		<-done
		return err
	}

	fmt.Printf("ready mongodb://%s/\n", ln.Addr())

	<-ctx.Done()
	// Restore default signal handling so that a second signal kills the process at once.
	stop()

	_ = ln.Close()
	s.shutdown()
	stopFerret()
	select {
	case err = <-done:
		return err
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

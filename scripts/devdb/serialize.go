package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// FerretDB v1 carries out an update as "read the document, then write it back" in two separate
// steps, so two concurrent conditional updates of one document ({_id, version: n}) can both
// succeed and concurrent $inc lose increments. MongoDB applies each single-document update
// atomically, and the application relies on that. This proxy sits in front of FerretDB and lets
// only one data-changing command run at a time; reads still run in parallel.
//
// FerretDB v1 on SQLite also keeps every statement's result rows open until an "update"
// command ends, and its connection pool holds 100 connections: a bulk write of 100 or more
// update statements in one command waits forever for a connection it holds itself. The proxy
// therefore advertises a smaller maxWriteBatchSize in its handshake replies, so drivers split
// bulk writes into commands FerretDB can finish.

const (
	opMsg           = 2013
	flagChecksum    = 1 << 0
	flagMoreToCome  = 1 << 1
	headerSize      = 16
	maxMessageBytes = 48 << 20 // MongoDB's maxMessageSizeBytes
	opQuery         = 2004

	// advertisedWriteBatch is the most statements a driver puts in one write command.
	advertisedWriteBatch = 50
)

// handshakeCommands have replies that carry maxWriteBatchSize.
var handshakeCommands = map[string]bool{"hello": true, "isMaster": true, "ismaster": true}

// readOnlyCommands never change data. Any other command, including unknown ones, is serialized.
var readOnlyCommands = map[string]bool{
	"aggregate": true, "buildInfo": true, "buildinfo": true, "collStats": true, "connectionStatus": true,
	"count": true, "currentOp": true, "dataSize": true, "dbStats": true, "distinct": true,
	"endSessions": true, "explain": true, "find": true, "getCmdLineOpts": true, "getLog": true,
	"getMore": true, "getParameter": true, "hello": true, "hostInfo": true, "isMaster": true,
	"ismaster": true, "killCursors": true, "listCollections": true, "listCommands": true,
	"listDatabases": true, "listIndexes": true, "ping": true, "saslContinue": true,
	"saslStart": true, "serverStatus": true, "usersInfo": true, "validate": true, "whatsmyuri": true,
}

type serializer struct {
	backend string // FerretDB's own loopback address

	writes sync.Mutex // held while one data-changing command runs

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func newSerializer(backend string) *serializer {
	return &serializer{backend: backend, conns: map[net.Conn]struct{}{}}
}

// serve accepts client connections until ln is closed.
func (s *serializer) serve(ln net.Listener, logf func(format string, args ...any)) {
	for {
		client, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				logf("accept: %v", err)
			}
			return
		}
		if !s.add(client) {
			continue
		}
		go func() {
			defer s.remove(client)
			if err := s.handle(client); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				logf("connection %s: %v", client.RemoteAddr(), err)
			}
		}()
	}
}

func (s *serializer) add(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = c.Close()
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *serializer) remove(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	_ = c.Close()
	s.wg.Done()
}

func (s *serializer) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// shutdown lets the running data-changing command finish, refuses further ones and closes
// every client connection. The caller closes the listener first.
func (s *serializer) shutdown() {
	s.writes.Lock()
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.writes.Unlock()
	s.wg.Wait()
}

func (s *serializer) handle(client net.Conn) error {
	backend, err := net.Dial("tcp", s.backend)
	if err != nil {
		return err
	}
	defer backend.Close()

	for {
		req, err := readMessage(client)
		if err != nil {
			return err
		}
		name := commandName(req)
		switch {
		case handshakeCommands[name]:
			err = relayWith(req, client, backend, limitWriteBatch)
		case readOnlyCommands[name]:
			err = relayWith(req, client, backend, nil)
		case opCode(req) == opQuery:
			// Legacy queries: drivers send their first handshake this way; anything else is
			// rare enough to serialize.
			err = s.relayExclusive(req, client, backend, limitWriteBatch)
		default:
			err = s.relayExclusive(req, client, backend, nil)
		}
		if err != nil {
			return err
		}
	}
}

func (s *serializer) relayExclusive(req []byte, client, backend net.Conn, rewrite func([]byte)) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	if s.isClosed() {
		return net.ErrClosed
	}
	return relayWith(req, client, backend, rewrite)
}

// relayWith sends one request to FerretDB and copies its replies back to the client, passing
// each reply through rewrite first when it is given.
func relayWith(req []byte, client, backend net.Conn, rewrite func([]byte)) error {
	if _, err := backend.Write(req); err != nil {
		return err
	}
	if moreToCome(req) {
		return nil // fire-and-forget request: no reply
	}
	for {
		res, err := readMessage(backend)
		if err != nil {
			return err
		}
		if rewrite != nil {
			rewrite(res)
		}
		if _, err = client.Write(res); err != nil {
			return err
		}
		if !moreToCome(res) {
			return nil
		}
	}
}

// limitWriteBatch lowers an int32 or int64 maxWriteBatchSize field in place (the message keeps
// its length). Handshake replies carry no checksum.
func limitWriteBatch(msg []byte) {
	for _, kind := range []byte{0x10, 0x12} {
		key := append([]byte{kind}, "maxWriteBatchSize\x00"...)
		i := bytes.Index(msg, key)
		if i < 0 {
			continue
		}
		at := i + len(key)
		switch kind {
		case 0x10:
			if at+4 <= len(msg) && int32(binary.LittleEndian.Uint32(msg[at:])) > advertisedWriteBatch {
				binary.LittleEndian.PutUint32(msg[at:], advertisedWriteBatch)
			}
		case 0x12:
			if at+8 <= len(msg) && int64(binary.LittleEndian.Uint64(msg[at:])) > advertisedWriteBatch {
				binary.LittleEndian.PutUint64(msg[at:], advertisedWriteBatch)
			}
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(size[:])
	if n < headerSize || n > maxMessageBytes {
		return nil, fmt.Errorf("invalid message length %d", n)
	}
	msg := make([]byte, n)
	copy(msg, size[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opCode(msg []byte) uint32 { return binary.LittleEndian.Uint32(msg[12:16]) }

func moreToCome(msg []byte) bool {
	return opCode(msg) == opMsg && len(msg) >= headerSize+4 &&
		binary.LittleEndian.Uint32(msg[headerSize:])&flagMoreToCome != 0
}

// commandName returns the first key of an OP_MSG body document, which names the command,
// or "" for anything else (legacy opcodes are then serialized, being rare).
func commandName(msg []byte) string {
	if opCode(msg) != opMsg || len(msg) < headerSize+4 {
		return ""
	}
	end := len(msg)
	if binary.LittleEndian.Uint32(msg[headerSize:])&flagChecksum != 0 {
		end -= 4
	}
	for pos := headerSize + 4; pos+5 <= end; {
		kind := msg[pos]
		size := int(binary.LittleEndian.Uint32(msg[pos+1:]))
		switch kind {
		case 0: // body: a BSON document whose first element is {command: ...}
			doc := msg[pos+1 : end]
			if size < 5 || size > len(doc) || doc[4] == 0 {
				return ""
			}
			name, _, ok := bytes.Cut(doc[5:size], []byte{0})
			if !ok {
				return ""
			}
			return string(name)
		case 1: // document sequence: skip it
			if size < 4 {
				return ""
			}
			pos += 1 + size
		default:
			return ""
		}
	}
	return ""
}

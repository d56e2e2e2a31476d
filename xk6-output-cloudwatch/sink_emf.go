package cloudwatch

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// emfDialTimeout bounds connecting to the agent, so a flush never hangs on it.
const emfDialTimeout = 5 * time.Second

// emfSink writes EMF documents to the CloudWatch agent (UDP: one document
// per datagram; TCP: one per line), to a file or to stdout (one per line).
type emfSink struct {
	namespace         string
	storageResolution int
	transport         emfTransport
}

// emfTransport delivers one encoded document.
type emfTransport interface {
	send(doc []byte) error
	close() error
}

func newEMFTransport(address string, stdout io.Writer) (emfTransport, error) {
	switch {
	case address == "stdout":
		return &lineWriter{w: stdout}, nil
	case strings.HasPrefix(address, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(address, "file:"), "//")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, fmt.Errorf("opening EMF file %s: %w", path, err)
		}
		return &lineWriter{w: f, closer: f}, nil
	case strings.HasPrefix(address, "udp://"):
		conn, err := net.Dial("udp", strings.TrimPrefix(address, "udp://"))
		if err != nil {
			return nil, fmt.Errorf("opening EMF UDP socket to %s: %w", address, err)
		}
		return &datagramWriter{conn: conn}, nil
	case strings.HasPrefix(address, "tcp://"):
		return &streamWriter{address: strings.TrimPrefix(address, "tcp://")}, nil
	}
	return nil, &ConfigError{Setting: "emfAddress", Expected: "udp://host:port, tcp://host:port, file:PATH or stdout", Got: address}
}

func (e *emfSink) publish(_ context.Context, period []*series, at time.Time) (int64, error) {
	var lost int64
	var firstErr error
	for _, s := range period {
		docs, err := toEMFDocuments(s, e.namespace, at, e.storageResolution)
		if err != nil {
			lost += s.k6Samples()
			firstErr = firstError(firstErr, err)
			continue
		}
		for _, doc := range docs {
			if err := e.transport.send(doc.body); err != nil {
				lost += doc.samples
				firstErr = firstError(firstErr, err)
			}
		}
	}
	return lost, firstErr
}

func (e *emfSink) close() error { return e.transport.close() }

// firstError keeps the first error of a flush: later ones usually repeat it.
func firstError(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

type lineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	closer io.Closer
}

func (l *lineWriter) send(doc []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write(append(doc, '\n'))
	return err
}

func (l *lineWriter) close() error {
	if l.closer == nil {
		return nil
	}
	return l.closer.Close()
}

type datagramWriter struct {
	conn net.Conn
}

func (d *datagramWriter) send(doc []byte) error {
	_, err := d.conn.Write(doc)
	return err
}

func (d *datagramWriter) close() error { return d.conn.Close() }

// streamWriter connects lazily and reconnects once after a failed write, so
// an agent restart costs at most the documents of one write.
type streamWriter struct {
	address string
	conn    net.Conn
}

func (s *streamWriter) send(doc []byte) error {
	line := append(doc, '\n')
	if err := s.write(line); err == nil {
		return nil
	}
	s.drop()
	return s.write(line)
}

func (s *streamWriter) write(line []byte) error {
	if s.conn == nil {
		conn, err := net.DialTimeout("tcp", s.address, emfDialTimeout)
		if err != nil {
			return fmt.Errorf("connecting to EMF agent at tcp://%s: %w", s.address, err)
		}
		s.conn = conn
	}
	_ = s.conn.SetWriteDeadline(time.Now().Add(emfDialTimeout))
	if _, err := s.conn.Write(line); err != nil {
		return fmt.Errorf("writing to EMF agent at tcp://%s: %w", s.address, err)
	}
	return nil
}

func (s *streamWriter) drop() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

func (s *streamWriter) close() error {
	s.drop()
	return nil
}

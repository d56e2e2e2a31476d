package cloudwatch

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.k6.io/k6/metrics"
)

// decodedEMF is the part of an EMF document the tests check.
type decodedEMF struct {
	Namespace  string
	Dimensions []string
	Metric     emfMetric
	Timestamp  int64
	Tags       map[string]string
	Values     []float64
}

func decodeEMF(t *testing.T, body []byte) decodedEMF {
	t.Helper()
	var root map[string]json.RawMessage
	if err := json.Unmarshal(body, &root); err != nil {
		t.Fatalf("EMF document is not JSON: %v: %s", err, body)
	}
	var meta emfMetadata
	if err := json.Unmarshal(root["_aws"], &meta); err != nil || len(meta.CloudWatchMetrics) != 1 {
		t.Fatalf("bad _aws member: %v: %s", err, body)
	}
	directive := meta.CloudWatchMetrics[0]
	if len(directive.Dimensions) != 1 || len(directive.Metrics) != 1 {
		t.Fatalf("want one dimension set and one metric: %s", body)
	}
	out := decodedEMF{Namespace: directive.Namespace, Dimensions: directive.Dimensions[0], Metric: directive.Metrics[0], Timestamp: meta.Timestamp, Tags: map[string]string{}}
	for _, dim := range out.Dimensions {
		var value string
		if err := json.Unmarshal(root[dim], &value); err != nil {
			t.Fatalf("dimension %s has no string value in %s", dim, body)
		}
		out.Tags[dim] = value
	}
	raw := root[out.Metric.Name]
	if err := json.Unmarshal(raw, &out.Values); err != nil {
		var single float64
		if err := json.Unmarshal(raw, &single); err != nil {
			t.Fatalf("metric %s has no numeric value in %s", out.Metric.Name, body)
		}
		out.Values = []float64{single}
	}
	return out
}

func TestSeriesMapToEMFDocumentsByMetricType(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	tags := map[string]string{"op": "GetRecord", "status": "0", "vu": "3"}
	repeat := func(name string, kind metrics.MetricType, values ...float64) []metrics.Sample {
		var out []metrics.Sample
		for _, v := range values {
			out = append(out, f.sample(name, kind, v, tags))
		}
		return out
	}
	tests := []struct {
		name       string
		samples    []metrics.Sample
		res        int
		wantValues [][]float64
		wantMetric emfMetric
	}{
		{"a trend lists each sample's value", repeat("grpc_req_duration", metrics.Trend, 4, 1.5, 4), 60,
			[][]float64{{1.5, 4, 4}}, emfMetric{Name: "GrpcRequestDuration", Unit: "Milliseconds"}},
		{"a counter sends its sum at high resolution when asked", repeat("opensaves_errors", metrics.Counter, 1, 1, 1), 1,
			[][]float64{{3}}, emfMetric{Name: "Errors", Unit: "Count", StorageResolution: 1}},
		{"a rate sends the share of non-zero samples", repeat("opensaves_atomic_contention", metrics.Rate, 0, 1, 0, 0), 60,
			[][]float64{{0.25}}, emfMetric{Name: "AtomicContentionRate", Unit: "None"}},
		{"a gauge sends its last value", repeat("vus_max", metrics.Gauge, 5, 9, 7), 60,
			[][]float64{{7}}, emfMetric{Name: "VUsMax", Unit: "Count"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			period := aggregate(tt.samples...)
			docs, err := toEMFDocuments(period[0], "OpenSaves/LoadTest", flushTime, tt.res)
			if err != nil {
				t.Fatal(err)
			}
			var gotValues [][]float64
			var samples int64
			for _, doc := range docs {
				got := decodeEMF(t, doc.body)
				gotValues = append(gotValues, got.Values)
				samples += doc.samples
				if got.Namespace != "OpenSaves/LoadTest" || got.Metric != tt.wantMetric || got.Timestamp != flushTime.UnixMilli() {
					t.Errorf("directive %+v, want namespace OpenSaves/LoadTest, metric %+v, timestamp %d", got, tt.wantMetric, flushTime.UnixMilli())
				}
				if !reflect.DeepEqual(got.Tags, map[string]string{"op": "GetRecord", "status": "0"}) {
					t.Errorf("dimensions %v, want op and status only", got.Tags)
				}
			}
			if !reflect.DeepEqual(gotValues, tt.wantValues) {
				t.Errorf("values %v, want %v", gotValues, tt.wantValues)
			}
			if samples != int64(len(tt.samples)) {
				t.Errorf("documents carry %d samples, want %d", samples, len(tt.samples))
			}
		})
	}
}

func TestLargeTrendsSplitIntoDocumentsOfAtMost100Values(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		samples  int
		distinct int
		wantDocs int
	}{
		{"100 samples fit in one document", 100, 100, 1},
		{"101 samples take two", 101, 101, 2},
		{"1,000 samples of 3 values take ten", 1000, 3, 10},
		{"5,000 distinct samples keep their count after bucketing", 5000, 5000, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newSampleFactory(t)
			var samples []metrics.Sample
			for i := 0; i < tt.samples; i++ {
				samples = append(samples, f.sample("grpc_req_duration", metrics.Trend, 1+float64(i%tt.distinct)/10, nil))
			}
			docs, err := toEMFDocuments(aggregate(samples...)[0], "NS", flushTime, 60)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, doc := range docs {
				n := len(decodeEMF(t, doc.body).Values)
				if n > maxEMFValuesPerMetric || int64(n) != doc.samples {
					t.Errorf("document has %d values and claims %d samples; want equal and at most 100", n, doc.samples)
				}
				total += n
			}
			if len(docs) != tt.wantDocs || total != tt.samples {
				t.Errorf("got %d documents with %d values, want %d with %d", len(docs), total, tt.wantDocs, tt.samples)
			}
		})
	}
}

func TestEMFTransportsDeliverEachDocument(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	period := aggregate(
		f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": "Ping"}),
		f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": "GetRecord"}),
	)
	tests := []struct {
		name    string
		receive func(t *testing.T) (address string, lines func() []string)
	}{
		{"udp sends one datagram per document", listenUDP},
		{"tcp sends one line per document", listenTCP},
		{"file appends one line per document", tempFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			address, lines := tt.receive(t)
			transport, err := newEMFTransport(address, nil)
			if err != nil {
				t.Fatal(err)
			}
			sink := &emfSink{namespace: "OpenSaves/LoadTest", storageResolution: 60, transport: transport}

			lost, err := sink.publish(t.Context(), period, flushTime)
			if closeErr := sink.close(); closeErr != nil {
				t.Errorf("close: %v", closeErr)
			}

			if err != nil || lost != 0 {
				t.Fatalf("publish: lost %d, error %v", lost, err)
			}
			got := map[string]float64{}
			for _, line := range lines() {
				doc := decodeEMF(t, []byte(line))
				got[doc.Tags["op"]] += doc.Values[0]
			}
			if !reflect.DeepEqual(got, map[string]float64{"Ping": 1, "GetRecord": 1}) {
				t.Errorf("received requests per op %v, want Ping 1 and GetRecord 1", got)
			}
		})
	}
}

func TestEMFSinkCountsUndeliveredSamplesAsLost(t *testing.T) {
	t.Parallel()
	// A listener that is closed at once: the port refuses connections.
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	address := "tcp://" + listener.Addr().String()
	_ = listener.Close()
	transport, err := newEMFTransport(address, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := newSampleFactory(t)
	period := aggregate(
		f.sample("grpc_req_duration", metrics.Trend, 3, nil),
		f.sample("grpc_req_duration", metrics.Trend, 4, nil),
		f.sample("iterations", metrics.Counter, 1, nil),
	)

	lost, err := (&emfSink{namespace: "NS", transport: transport}).publish(t.Context(), period, flushTime)

	if lost != 3 || err == nil || !strings.Contains(err.Error(), "connecting to EMF agent") {
		t.Errorf("lost %d, error %v; want 3 lost and a connection error", lost, err)
	}
}

func listenUDP(t *testing.T) (string, func() []string) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return "udp://" + conn.LocalAddr().String(), func() []string {
		var lines []string
		buf := make([]byte, 65536)
		for {
			_ = conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			n, _, err := conn.ReadFrom(buf)
			if err != nil {
				return lines
			}
			lines = append(lines, string(buf[:n]))
		}
	}
}

func listenTCP(t *testing.T) (string, func() []string) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = listener.Close() })
	received := make(chan []string, 1)
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			received <- nil
			return
		}
		defer conn.Close()
		var lines []string
		scanner := bufio.NewScanner(conn)
		for scanner.Scan() {
			lines = append(lines, scanner.Text())
		}
		received <- lines
	}()
	return "tcp://" + listener.Addr().String(), func() []string {
		select {
		case lines := <-received:
			return lines
		case <-time.After(5 * time.Second):
			t.Error("no TCP connection closed within 5 s")
			return nil
		}
	}
}

func tempFile(t *testing.T) (string, func() []string) {
	path := filepath.Join(t.TempDir(), "emf.log")
	return "file:" + path, func() []string {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSpace(string(body)), "\n")
	}
}

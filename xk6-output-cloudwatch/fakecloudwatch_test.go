package cloudwatch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/encoding/cbor"
)

const putMetricDataPath = "/service/GraniteServiceVersion20100801/operation/PutMetricData"

// receivedDatum is one datum as decoded from the CBOR request body.
type receivedDatum struct {
	Name       string
	Dimensions map[string]string
	Value      *float64
	Values     []float64
	Counts     []float64
}

type receivedRequest struct {
	Namespace string
	Data      []receivedDatum
	BodyBytes int
}

// fakeCloudWatch is a local PutMetricData endpoint speaking Smithy RPC v2
// CBOR, the protocol of the current SDK. It answers the first `throttle`
// requests with a Throttling error, then accepts.
type fakeCloudWatch struct {
	t        *testing.T
	server   *httptest.Server
	mu       sync.Mutex
	throttle int
	attempts int
	accepted []receivedRequest
}

func newFakeCloudWatch(t *testing.T, throttle int) *fakeCloudWatch {
	t.Helper()
	f := &fakeCloudWatch{t: t, throttle: throttle}
	f.server = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.server.Close)
	return f
}

func (f *fakeCloudWatch) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.URL.Path != putMetricDataPath || r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		f.t.Errorf("unexpected request %s %s (protocol %q, read error %v)", r.Method, r.URL.Path, r.Header.Get("Smithy-Protocol"), err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	f.mu.Lock()
	f.attempts++
	throttled := f.attempts <= f.throttle
	f.mu.Unlock()
	if throttled {
		// CloudWatch's query-compatible error: the code travels in this header.
		w.Header().Set("X-Amzn-Query-Error", "Throttling;Sender")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(cbor.Encode(cbor.Map{"__type": cbor.String("com.amazonaws.cloudwatch#Throttling"), "message": cbor.String("Rate exceeded")}))
		return
	}
	// The SDK gzips request bodies above 10 KiB (request compression).
	if r.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gunzip(body); err != nil {
			f.t.Errorf("gunzip request body: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
	}
	request, err := decodePutMetricData(body)
	if err != nil {
		f.t.Errorf("decoding PutMetricData body: %v; first bytes % x", err, body[:min(len(body), 64)])
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.accepted = append(f.accepted, request)
	f.mu.Unlock()
	_, _ = w.Write(cbor.Encode(cbor.Map{}))
}

func (f *fakeCloudWatch) requests() []receivedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]receivedRequest(nil), f.accepted...)
}

func (f *fakeCloudWatch) attemptCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// client is the output's own SDK client pointed at the fake.
func (f *fakeCloudWatch) client(t *testing.T, maxAttempts int) metricDataPutter {
	t.Helper()
	cfg := defaultConfig(sharedCatalog)
	cfg.Sink, cfg.Region, cfg.Endpoint = sinkAPI, "us-east-1", f.server.URL
	cfg.MaxAttempts, cfg.MaxBackoff = maxAttempts, 5*time.Millisecond // keeps retry tests fast
	client, err := newCloudWatchClient(context.Background(), cfg,
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", "")))
	if err != nil {
		t.Fatalf("building the client: %v", err)
	}
	return client
}

func decodePutMetricData(body []byte) (receivedRequest, error) {
	value, err := cbor.Decode(body)
	if err != nil {
		return receivedRequest{}, err
	}
	root, ok := value.(cbor.Map)
	if !ok {
		return receivedRequest{}, fmt.Errorf("body is %T, want a map", value)
	}
	out := receivedRequest{BodyBytes: len(body)}
	if ns, ok := root["Namespace"].(cbor.String); ok {
		out.Namespace = string(ns)
	}
	list, _ := root["MetricData"].(cbor.List)
	for _, item := range list {
		m, ok := item.(cbor.Map)
		if !ok {
			return receivedRequest{}, fmt.Errorf("MetricData entry is %T, want a map", item)
		}
		d := receivedDatum{Dimensions: map[string]string{}}
		if name, ok := m["MetricName"].(cbor.String); ok {
			d.Name = string(name)
		}
		dims, _ := m["Dimensions"].(cbor.List)
		for _, dim := range dims {
			dm, _ := dim.(cbor.Map)
			name, _ := dm["Name"].(cbor.String)
			val, _ := dm["Value"].(cbor.String)
			d.Dimensions[string(name)] = string(val)
		}
		if v, ok := m["Value"]; ok {
			f, err := cbor.AsFloat64(v)
			if err != nil {
				return receivedRequest{}, err
			}
			d.Value = aws.Float64(f)
		}
		if d.Values, err = floatList(m["Values"]); err != nil {
			return receivedRequest{}, err
		}
		if d.Counts, err = floatList(m["Counts"]); err != nil {
			return receivedRequest{}, err
		}
		out.Data = append(out.Data, d)
	}
	return out, nil
}

func gunzip(body []byte) ([]byte, error) {
	reader, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(reader)
}

func floatList(v cbor.Value) ([]float64, error) {
	list, _ := v.(cbor.List)
	var out []float64
	for _, item := range list {
		f, err := cbor.AsFloat64(item)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

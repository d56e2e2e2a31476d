package cloudwatch

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.k6.io/k6/metrics"
)

// opSeries makes n counter series (one per op) and one trend series with
// `values` distinct values.
func opSeries(t *testing.T, n int, values int) []*series {
	t.Helper()
	f := newSampleFactory(t)
	agg := newAggregator(sharedCatalog, []string{"op"}, 100_000)
	for i := 0; i < n; i++ {
		agg.add(f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": fmt.Sprintf("Op%04d", i)}))
	}
	for i := 0; i < values; i++ {
		agg.add(f.sample("iteration_duration", metrics.Trend, float64(i)+0.25, map[string]string{"op": "GetBlob"}))
	}
	return agg.drain()
}

func TestAPISinkSendsTheMappedDataOverTheSDKsWireProtocol(t *testing.T) {
	t.Parallel()
	fake := newFakeCloudWatch(t, 0)
	sink := &apiSink{client: fake.client(t, 3), namespace: "OpenSaves/LoadTest", storageResolution: 60, timeout: requestTimeout(defaultConfig(sharedCatalog)), maxBytes: maxPayloadBytes}

	lost, err := sink.publish(context.Background(), opSeries(t, 2, 3), flushTime)

	if err != nil || lost != 0 {
		t.Fatalf("publish: lost %d, error %v", lost, err)
	}
	requests := fake.requests()
	if len(requests) != 1 || requests[0].Namespace != "OpenSaves/LoadTest" {
		t.Fatalf("got %d requests %+v, want one to OpenSaves/LoadTest", len(requests), requests)
	}
	want := []receivedDatum{
		{Name: "Errors", Dimensions: map[string]string{"op": "Op0000"}, Value: ptr(1.0)},
		{Name: "Errors", Dimensions: map[string]string{"op": "Op0001"}, Value: ptr(1.0)},
		{Name: "IterationDuration", Dimensions: map[string]string{"op": "GetBlob"}, Values: []float64{0.25, 1.25, 2.25}, Counts: []float64{1, 1, 1}},
	}
	if !reflect.DeepEqual(requests[0].Data, want) {
		t.Errorf("decoded data\n got %+v\nwant %+v", requests[0].Data, want)
	}
}

func ptr(v float64) *float64 { return &v }

func TestAPISinkSplitsRequestsAtTheAPILimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		counters  int
		values    int
		wantSizes []int
	}{
		{"1,000 data go in one request", 999, 1, []int{1000}},
		{"1,001 data go in two", 1000, 1, []int{1000, 1}},
		{"a datum with 151 distinct values is bucketed to 150", 0, 151, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeCloudWatch(t, 0)
			sink := &apiSink{client: fake.client(t, 1), namespace: "OpenSaves/LoadTest", storageResolution: 60, timeout: requestTimeout(defaultConfig(sharedCatalog)), maxBytes: maxPayloadBytes}

			lost, err := sink.publish(context.Background(), opSeries(t, tt.counters, tt.values), flushTime)

			if err != nil || lost != 0 {
				t.Fatalf("publish: lost %d, error %v", lost, err)
			}
			var sizes []int
			for _, r := range fake.requests() {
				sizes = append(sizes, len(r.Data))
				for _, d := range r.Data {
					if len(d.Values) > maxValuesPerDatum || len(d.Counts) != len(d.Values) {
						t.Errorf("%s has %d values and %d counts", d.Name, len(d.Values), len(d.Counts))
					}
					if d.Name == "IterationDuration" && sumCounts(d.Counts) != float64(tt.values) {
						t.Errorf("counts add up to %v, want %d", sumCounts(d.Counts), tt.values)
					}
				}
			}
			if !reflect.DeepEqual(sizes, tt.wantSizes) {
				t.Errorf("request sizes = %v, want %v", sizes, tt.wantSizes)
			}
		})
	}
}

func TestRequestBodiesStayUnderOneMegabyteAndUnderTheEstimate(t *testing.T) {
	t.Parallel()
	fake := newFakeCloudWatch(t, 0)
	sink := &apiSink{client: fake.client(t, 1), namespace: "OpenSaves/LoadTest", storageResolution: 1, timeout: requestTimeout(defaultConfig(sharedCatalog)), maxBytes: maxPayloadBytes}
	// 1,000 trend series with 150 long-valued dimensions-worth of data each
	f := newSampleFactory(t)
	agg := newAggregator(sharedCatalog, []string{"op", "scenario"}, 100_000)
	for i := 0; i < 1000; i++ {
		tags := map[string]string{"op": fmt.Sprintf("Op%04d", i), "scenario": strings.Repeat("s", 200)}
		for v := 0; v < maxValuesPerDatum; v++ {
			agg.add(f.sample("iteration_duration", metrics.Trend, float64(v)*1.5+float64(i)/1000, tags))
		}
	}
	period := agg.drain()

	lost, err := sink.publish(context.Background(), period, flushTime)

	if err != nil || lost != 0 {
		t.Fatalf("publish: lost %d, error %v", lost, err)
	}
	requests := fake.requests()
	total := 0
	for _, r := range requests {
		total += len(r.Data)
		if r.BodyBytes > maxPayloadBytes {
			t.Errorf("a request body of %d bytes exceeds the 1 MB limit", r.BodyBytes)
		}
		estimate := requestFixedBytes + len(r.Namespace)
		for i := 0; i < len(r.Data); i++ {
			estimate += estimateDatumBytes(toMetricDatum(period[0], flushTime, 1).datum)
		}
		if r.BodyBytes > estimate {
			t.Errorf("body of %d bytes is larger than its estimate %d: the estimate is not conservative", r.BodyBytes, estimate)
		}
	}
	if len(requests) < 3 || total != 1000 {
		t.Errorf("got %d requests carrying %d data, want at least 3 carrying all 1000", len(requests), total)
	}
}

func TestThrottledRequestsAreRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		throttle     int
		maxAttempts  int
		wantAttempts int
		wantLost     int64
	}{
		{"two throttles then success delivers everything", 2, 5, 3, 0},
		{"throttled on every attempt loses the batch and says so", 100, 3, 3, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeCloudWatch(t, tt.throttle)
			sink := &apiSink{client: fake.client(t, tt.maxAttempts), namespace: "OpenSaves/LoadTest", storageResolution: 60, timeout: requestTimeout(defaultConfig(sharedCatalog)), maxBytes: maxPayloadBytes}

			lost, err := sink.publish(context.Background(), opSeries(t, 1, 3), flushTime)

			if fake.attemptCount() != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", fake.attemptCount(), tt.wantAttempts)
			}
			if lost != tt.wantLost {
				t.Errorf("lost = %d samples, want %d", lost, tt.wantLost)
			}
			if tt.wantLost > 0 && (err == nil || !strings.Contains(err.Error(), "Throttling")) {
				t.Errorf("error = %v, want one naming the Throttling code", err)
			}
			if tt.wantLost == 0 && err != nil {
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
}

package cloudwatch

import (
	"math"
	"reflect"
	"sort"
	"testing"

	"go.k6.io/k6/metrics"
)

func TestSamplesAreGroupedByMetricAndAllowedTagsOnly(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	period := aggregate(
		f.sample("grpc_req_duration", metrics.Trend, 5, map[string]string{"op": "GetRecord", "status": "0", "vu": "1", "iter": "7", "url": "x"}),
		f.sample("grpc_req_duration", metrics.Trend, 7, map[string]string{"op": "GetRecord", "status": "0", "vu": "2", "iter": "9", "url": "y"}),
		f.sample("grpc_req_duration", metrics.Trend, 9, map[string]string{"op": "Ping", "status": "0", "testid": "run-1"}),
		f.sample("iterations", metrics.Counter, 1, map[string]string{"scenario": "smoke"}),
	)
	type got struct {
		name    string
		dims    []dimension
		samples int64
	}
	var all []got
	for _, s := range period {
		all = append(all, got{s.cw.Name, s.dims, s.samples})
	}
	want := []got{
		{"GrpcRequestDuration", []dimension{{"op", "GetRecord"}, {"status", "0"}}, 2},
		{"GrpcRequestDuration", []dimension{{"op", "Ping"}, {"status", "0"}, {"testid", "run-1"}}, 1},
		{"Iterations", []dimension{{"scenario", "smoke"}}, 1},
		{"Requests", []dimension{{"op", "GetRecord"}, {"status", "OK"}}, 2},
		{"Requests", []dimension{{"op", "Ping"}, {"status", "OK"}, {"testid", "run-1"}}, 1},
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("series\n got %+v\nwant %+v", all, want)
	}
}

func TestRequestsAreCountedFromRequestDurationsWithStatusNames(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	agg := newAggregator(sharedCatalog, []string{"op", "status"}, 100)
	agg.add(f.sample("grpc_req_duration", metrics.Trend, 3, map[string]string{"op": "GetRecord", "status": "5"}))
	agg.add(f.sample("grpc_req_duration", metrics.Trend, 4, map[string]string{"op": "GetRecord", "status": "14"}))
	agg.add(f.sample("grpc_req_duration", metrics.Trend, 4, map[string]string{"op": "GetRecord", "status": "99"}))
	agg.add(f.sample("http_req_duration", metrics.Trend, 8, map[string]string{"op": "GetRecord", "status": "404"}))
	// a script that still counts requests itself: not sent, or they would count twice
	agg.add(f.sample("opensaves_requests", metrics.Counter, 1, map[string]string{"op": "GetRecord", "status": "OK"}))

	requests := map[string]float64{}
	for _, s := range agg.drain() {
		if s.cw.Name != "Requests" {
			continue
		}
		requests[s.dims[1].Value] += s.sum
		if s.k6Samples() != 0 {
			t.Errorf("derived series %v stands for %d k6 samples, want 0: losing it loses none", s.dims, s.k6Samples())
		}
	}
	want := map[string]float64{"NOT_FOUND": 1, "UNAVAILABLE": 1, "99": 1, "404": 1}
	if !reflect.DeepEqual(requests, want) {
		t.Errorf("requests by status = %v, want %v", requests, want)
	}
	if agg.listed != 4 {
		t.Errorf("listed = %d, want the 4 request-duration samples only", agg.listed)
	}
	if agg.unknown["opensaves_requests"] != 1 {
		t.Errorf("unknown[opensaves_requests] = %d, want 1", agg.unknown["opensaves_requests"])
	}
}

func TestMetricsOutsideTheSharedListAreCountedNotSent(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	agg := newAggregator(sharedCatalog, []string{"op"}, 10)
	agg.add(f.sample("data_sent", metrics.Counter, 100, nil))
	agg.add(f.sample("data_sent", metrics.Counter, 100, nil))
	if period := agg.drain(); len(period) != 0 {
		t.Errorf("got %d series for an unlisted metric, want none", len(period))
	}
	if agg.unknown["data_sent"] != 2 {
		t.Errorf("unknown[data_sent] = %d, want 2", agg.unknown["data_sent"])
	}
}

func TestSeriesBeyondTheLimitAreDroppedAndCounted(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	agg := newAggregator(sharedCatalog, []string{"op"}, 2)
	for _, op := range []string{"A", "B", "C", "A", "D"} {
		agg.add(f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": op}))
	}
	if n := len(agg.drain()); n != 2 {
		t.Errorf("got %d series, want the limit of 2", n)
	}
	if agg.dropped != 2 {
		t.Errorf("dropped = %d, want 2 (C and D)", agg.dropped)
	}
}

func TestTrendValuesStayExactUpToThePerDatumLimitAndAreBucketedBeyondIt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		distinct    int
		repeat      int
		wantPoints  int
		wantExact   bool
		limitPoints int
	}{
		{"150 distinct values are sent as they are", 150, 1, 150, true, maxValuesPerDatum},
		{"repeated values are counted, not listed again", 150, 4, 150, true, maxValuesPerDatum},
		{"151 distinct values are bucketed into at most 150", 151, 1, 150, false, maxValuesPerDatum},
		{"100,000 distinct values still give at most 150", 100_000, 1, 150, false, maxValuesPerDatum},
		{"EMF gets at most 100 points", 5_000, 1, 100, false, maxEMFValuesPerMetric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var d distribution
			for r := 0; r < tt.repeat; r++ {
				for i := 1; i <= tt.distinct; i++ {
					d.add(float64(i) * 0.37)
				}
			}
			values, counts := d.points(tt.limitPoints)
			if len(values) > tt.wantPoints || len(values) != len(counts) {
				t.Fatalf("got %d values and %d counts, want at most %d of each", len(values), len(counts), tt.wantPoints)
			}
			if total := sumCounts(counts); total != float64(tt.distinct*tt.repeat) {
				t.Errorf("counts add up to %v, want %d samples", total, tt.distinct*tt.repeat)
			}
			if !sort.Float64sAreSorted(values) {
				t.Errorf("values are not ascending")
			}
			if tt.wantExact {
				for i, v := range values {
					if v != float64(i+1)*0.37 || counts[i] != float64(tt.repeat) {
						t.Fatalf("point %d = %v x%v, want %v x%d", i, v, counts[i], float64(i+1)*0.37, tt.repeat)
					}
				}
			}
			if (d.buckets == nil) != tt.wantExact {
				t.Errorf("exact storage = %v, want %v", d.buckets == nil, tt.wantExact)
			}
		})
	}
}

func TestBucketedPercentilesStayWithinOnePercent(t *testing.T) {
	t.Parallel()
	var d distribution
	var all []float64
	for i := 0; i < 20_000; i++ {
		// latencies spread over three decades, 0.5 ms to 500 ms
		v := 0.5 * math.Pow(1000, float64(i)/20_000)
		all = append(all, v)
		d.add(v)
	}
	if len(d.buckets) > 800 {
		t.Errorf("%d buckets for three decades; memory is not bounded by the 1%% bucket width", len(d.buckets))
	}
	values, counts := d.points(1_000_000)
	for _, q := range []float64{0.5, 0.9, 0.95, 0.99} {
		want := all[int(q*float64(len(all)))-1]
		got := quantile(values, counts, q)
		if math.Abs(got-want)/want > 0.01 {
			t.Errorf("p%v = %.3f, exact %.3f: more than 1%% apart", q*100, got, want)
		}
	}
}

func quantile(values, counts []float64, q float64) float64 {
	target := q * sumCounts(counts)
	var seen float64
	for i, c := range counts {
		seen += c
		if seen >= target {
			return values[i]
		}
	}
	return values[len(values)-1]
}

func TestSamplesWithoutTagsFormASeriesWithoutDimensions(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	untagged := f.sample("iterations", metrics.Counter, 1, nil)
	untagged.Tags = nil
	period := aggregate(untagged)
	if len(period) != 1 || len(period[0].dims) != 0 || period[0].sum != 1 {
		t.Errorf("got %d series; want one Iterations series without dimensions", len(period))
	}
}

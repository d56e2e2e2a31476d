package cloudwatch

import (
	"math"
	"sort"
	"strings"

	"go.k6.io/k6/metrics"
)

// exactValueLimit is how many distinct trend values a series keeps exactly;
// it is the PutMetricData per-datum limit, so up to it percentiles computed
// by CloudWatch are exact.
const exactValueLimit = maxValuesPerDatum

// bucketGrowth is the relative width of a histogram bucket once a series has
// more distinct values than exactValueLimit: values within 1% share one
// bucket. Between 1 µs and 3 h that is at most ~2,300 buckets per series,
// which bounds memory however many samples arrive.
const bucketGrowth = 1.01

var logBucketGrowth = math.Log(bucketGrowth)

type dimension struct {
	Name  string
	Value string
}

// series aggregates the samples of one metric with one dimension set during
// one flush period.
type series struct {
	k6Name  string
	cw      metricName
	kind    metrics.MetricType
	dims    []dimension
	samples int64
	sum     float64
	min     float64
	max     float64
	last    float64
	nonZero int64
	dist    distribution
	// derived series are counted from other metrics' samples (requestsMetric);
	// they carry no k6 sample of their own, so losing them loses none.
	derived bool
}

// k6Samples is how many k6 samples the series stands for, for loss accounting.
func (s *series) k6Samples() int64 {
	if s.derived {
		return 0
	}
	return s.samples
}

func (s *series) add(value float64) {
	if s.samples == 0 || value < s.min {
		s.min = value
	}
	if s.samples == 0 || value > s.max {
		s.max = value
	}
	s.samples++
	s.sum += value
	s.last = value
	if value != 0 {
		s.nonZero++
	}
	if s.kind == metrics.Trend {
		s.dist.add(value)
	}
}

// rate is the share of non-zero samples, as k6 computes a Rate.
func (s *series) rate() float64 {
	return float64(s.nonZero) / float64(s.samples)
}

type bucket struct {
	count float64
	sum   float64
}

// distribution keeps trend values: exactly while there are few distinct
// values, then in 1%-wide logarithmic buckets.
type distribution struct {
	exact   map[float64]float64
	buckets map[int]*bucket
}

func (d *distribution) add(value float64) {
	if d.buckets == nil {
		if d.exact == nil {
			d.exact = make(map[float64]float64)
		}
		d.exact[value]++
		if len(d.exact) <= exactValueLimit {
			return
		}
		d.buckets = make(map[int]*bucket)
		for v, count := range d.exact {
			d.addToBucket(v, count)
		}
		d.exact = nil
		return
	}
	d.addToBucket(value, 1)
}

func (d *distribution) addToBucket(value, count float64) {
	index := math.MinInt // zero and negative values share one bucket
	if value > 0 {
		index = int(math.Floor(math.Log(value) / logBucketGrowth))
	}
	b := d.buckets[index]
	if b == nil {
		b = &bucket{}
		d.buckets[index] = b
	}
	b.count += count
	b.sum += value * count
}

// points returns ascending values with their counts, at most limit of them.
// Exact values come back as they are; buckets are represented by the mean
// of their values and, when there are more than limit, adjacent ones are
// merged so the total count is always kept.
func (d *distribution) points(limit int) (values, counts []float64) {
	type point struct{ value, count, sum float64 }
	var all []point
	if d.buckets == nil {
		for v, c := range d.exact {
			all = append(all, point{v, c, v * c})
		}
	} else {
		for _, b := range d.buckets {
			all = append(all, point{b.sum / b.count, b.count, b.sum})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].value < all[j].value })
	if len(all) <= limit {
		for _, p := range all {
			values = append(values, p.value)
			counts = append(counts, p.count)
		}
		return values, counts
	}
	for group := 0; group < limit; group++ {
		from, to := group*len(all)/limit, (group+1)*len(all)/limit
		var count, sum float64
		for _, p := range all[from:to] {
			count += p.count
			sum += p.sum
		}
		values = append(values, sum/count)
		counts = append(counts, count)
	}
	return values, counts
}

// aggregator folds the samples of one flush period into series.
type aggregator struct {
	catalog    metricCatalog
	dimensions []string
	maxSeries  int
	series     map[string]*series
	// listed counts samples of metrics in the shared list, the ones to send.
	listed int64
	// dropped counts samples refused because maxSeries was reached.
	dropped int64
	// unknown counts samples per k6 metric not in the shared list.
	unknown map[string]int64
}

func newAggregator(catalog metricCatalog, dimensions []string, maxSeries int) *aggregator {
	sorted := append([]string(nil), dimensions...)
	sort.Strings(sorted)
	return &aggregator{
		catalog:    catalog,
		dimensions: sorted,
		maxSeries:  maxSeries,
		series:     make(map[string]*series),
		unknown:    make(map[string]int64),
	}
}

// requestsMetric is counted from the request-duration samples k6 records for
// every call instead of being sent by the scripts: a counter sample per call
// cost the load generator about as much CPU as the call's own status check.
const requestsMetric = "opensaves_requests"

// requestDurationMetrics have one sample per call, tagged op and status.
var requestDurationMetrics = map[string]bool{"grpc_req_duration": true, "http_req_duration": true}

// grpcStatusNames turn k6's numeric gRPC status tag into the names that the
// scripts' opensaves_errors carries, so both filter alike on a dashboard.
var grpcStatusNames = map[string]string{
	"0": "OK", "1": "CANCELLED", "2": "UNKNOWN", "3": "INVALID_ARGUMENT", "4": "DEADLINE_EXCEEDED", "5": "NOT_FOUND",
	"6": "ALREADY_EXISTS", "7": "PERMISSION_DENIED", "8": "RESOURCE_EXHAUSTED", "9": "FAILED_PRECONDITION",
	"10": "ABORTED", "11": "OUT_OF_RANGE", "12": "UNIMPLEMENTED", "13": "INTERNAL", "14": "UNAVAILABLE",
	"15": "DATA_LOSS", "16": "UNAUTHENTICATED",
}

func (a *aggregator) add(sample metrics.Sample) {
	k6Name := sample.Metric.Name
	cw, ok := a.catalog.Metrics[k6Name]
	if !ok || k6Name == requestsMetric {
		// A script that still counts its requests itself would have them counted twice.
		a.unknown[k6Name]++
		return
	}
	a.listed++
	a.addTo(k6Name, cw, sample.Metric.Type, sample.Tags, sample.Value, false)
	if requests, listed := a.catalog.Metrics[requestsMetric]; listed && requestDurationMetrics[k6Name] {
		a.addTo(requestsMetric, requests, metrics.Counter, sample.Tags, 1, k6Name == "grpc_req_duration")
	}
}

// addTo folds one value into the series of k6Name with the sample's allowed
// dimensions; grpcStatus renames a numeric gRPC status tag.
func (a *aggregator) addTo(k6Name string, cw metricName, kind metrics.MetricType, tags *metrics.TagSet, value float64, grpcStatus bool) {
	derived := k6Name == requestsMetric
	var dims []dimension
	var key strings.Builder
	key.WriteString(k6Name)
	for _, name := range a.dimensions {
		if tags == nil {
			break
		}
		tag, ok := tags.Get(name)
		if ok && grpcStatus && name == "status" {
			if statusName, known := grpcStatusNames[tag]; known {
				tag = statusName
			}
		}
		if ok && tag != "" {
			dims = append(dims, dimension{Name: name, Value: tag})
			key.WriteString("\x00" + name + "=" + tag)
		}
	}
	s := a.series[key.String()]
	if s == nil {
		if len(a.series) >= a.maxSeries {
			if !derived {
				a.dropped++
			}
			return
		}
		s = &series{k6Name: k6Name, cw: cw, kind: kind, dims: dims, derived: derived}
		a.series[key.String()] = s
	}
	s.add(value)
}

// drain returns the period's series in a stable order and starts a new period.
func (a *aggregator) drain() []*series {
	out := make([]*series, 0, len(a.series))
	for _, s := range a.series {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return seriesLess(out[i], out[j]) })
	a.series = make(map[string]*series)
	return out
}

func seriesLess(a, b *series) bool {
	if a.cw.Name != b.cw.Name {
		return a.cw.Name < b.cw.Name
	}
	for i := 0; i < len(a.dims) && i < len(b.dims); i++ {
		if a.dims[i] != b.dims[i] {
			if a.dims[i].Name != b.dims[i].Name {
				return a.dims[i].Name < b.dims[i].Name
			}
			return a.dims[i].Value < b.dims[i].Value
		}
	}
	return len(a.dims) < len(b.dims)
}

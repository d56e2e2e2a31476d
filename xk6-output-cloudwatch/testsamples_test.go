package cloudwatch

import (
	"testing"
	"time"

	"go.k6.io/k6/metrics"
)

// sampleFactory makes k6 samples of the built-in and kit metrics with tags,
// the way k6 itself creates them.
type sampleFactory struct {
	t        *testing.T
	registry *metrics.Registry
}

func newSampleFactory(t *testing.T) *sampleFactory {
	t.Helper()
	return &sampleFactory{t: t, registry: metrics.NewRegistry()}
}

func (f *sampleFactory) sample(name string, kind metrics.MetricType, value float64, tags map[string]string) metrics.Sample {
	f.t.Helper()
	metric, err := f.registry.NewMetric(name, kind)
	if err != nil {
		f.t.Fatalf("registering %s: %v", name, err)
	}
	return metrics.Sample{
		TimeSeries: metrics.TimeSeries{Metric: metric, Tags: f.registry.RootTagSet().WithTagsFromMap(tags)},
		Time:       time.Unix(1_700_000_000, 0),
		Value:      value,
	}
}

// aggregate folds samples into series with the default allow-list.
func aggregate(samples ...metrics.Sample) []*series {
	agg := newAggregator(sharedCatalog, defaultDimensions(sharedCatalog), 1000)
	for _, s := range samples {
		agg.add(s)
	}
	return agg.drain()
}

func sumCounts(counts []float64) float64 {
	var total float64
	for _, c := range counts {
		total += c
	}
	return total
}

package cloudwatch

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"go.k6.io/k6/metrics"
)

var flushTime = time.Unix(1_700_000_010, 0)

func TestSeriesMapToPutMetricDataByMetricType(t *testing.T) {
	t.Parallel()
	f := newSampleFactory(t)
	op := map[string]string{"op": "CreateRecord"}
	tests := []struct {
		name    string
		samples []metrics.Sample
		res     int
		want    types.MetricDatum
	}{
		{
			name: "a trend becomes Values and Counts",
			samples: []metrics.Sample{
				f.sample("iteration_duration", metrics.Trend, 2, op),
				f.sample("iteration_duration", metrics.Trend, 2, op),
				f.sample("iteration_duration", metrics.Trend, 9.5, op),
			},
			res: 60,
			want: types.MetricDatum{
				MetricName: aws.String("IterationDuration"), Unit: types.StandardUnitMilliseconds, Timestamp: aws.Time(flushTime),
				Dimensions: []types.Dimension{{Name: aws.String("op"), Value: aws.String("CreateRecord")}},
				Values:     []float64{2, 9.5}, Counts: []float64{2, 1},
			},
		},
		{
			name: "a counter becomes its sum, at high resolution when asked",
			samples: []metrics.Sample{
				f.sample("opensaves_errors", metrics.Counter, 1, op),
				f.sample("opensaves_errors", metrics.Counter, 3, op),
			},
			res: 1,
			want: types.MetricDatum{
				MetricName: aws.String("Errors"), Unit: types.StandardUnitCount, Timestamp: aws.Time(flushTime),
				Dimensions:        []types.Dimension{{Name: aws.String("op"), Value: aws.String("CreateRecord")}},
				Value:             aws.Float64(4),
				StorageResolution: aws.Int32(1),
			},
		},
		{
			name: "a rate becomes the share of non-zero samples",
			samples: []metrics.Sample{
				f.sample("checks", metrics.Rate, 1, nil),
				f.sample("checks", metrics.Rate, 0, nil),
				f.sample("checks", metrics.Rate, 1, nil),
				f.sample("checks", metrics.Rate, 1, nil),
			},
			res: 60,
			want: types.MetricDatum{
				MetricName: aws.String("ChecksPassRate"), Unit: types.StandardUnitNone, Timestamp: aws.Time(flushTime),
				Value: aws.Float64(0.75),
			},
		},
		{
			name: "a gauge keeps its last value as the average and its highest as the maximum",
			samples: []metrics.Sample{
				f.sample("vus", metrics.Gauge, 3, nil),
				f.sample("vus", metrics.Gauge, 10, nil),
				f.sample("vus", metrics.Gauge, 6, nil),
			},
			res: 60,
			want: types.MetricDatum{
				MetricName: aws.String("VUs"), Unit: types.StandardUnitCount, Timestamp: aws.Time(flushTime),
				StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(1), Sum: aws.Float64(6), Minimum: aws.Float64(3), Maximum: aws.Float64(10)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			period := aggregate(tt.samples...)
			if len(period) != 1 {
				t.Fatalf("got %d series, want 1", len(period))
			}
			got := toMetricDatum(period[0], flushTime, tt.res)
			if !reflect.DeepEqual(got.datum, tt.want) {
				t.Errorf("datum\n got %s\nwant %s", describeDatum(got.datum), describeDatum(tt.want))
			}
			if got.samples != int64(len(tt.samples)) {
				t.Errorf("datum carries %d samples, want %d", got.samples, len(tt.samples))
			}
		})
	}
}

func describeDatum(d types.MetricDatum) string {
	var b strings.Builder
	b.WriteString(aws.ToString(d.MetricName) + " " + string(d.Unit))
	for _, dim := range d.Dimensions {
		b.WriteString(" " + aws.ToString(dim.Name) + "=" + aws.ToString(dim.Value))
	}
	if d.Value != nil {
		b.WriteString(" value=" + formatFloat(*d.Value))
	}
	if d.StatisticValues != nil {
		b.WriteString(" stats=" + formatFloat(*d.StatisticValues.Sum) + "/" + formatFloat(*d.StatisticValues.Maximum))
	}
	return b.String()
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func TestBatchesStayWithinTheRequestLimits(t *testing.T) {
	t.Parallel()
	small := func(n int) []metricDatum {
		data := make([]metricDatum, n)
		for i := range data {
			data[i] = metricDatum{datum: types.MetricDatum{MetricName: aws.String("Requests"), Value: aws.Float64(1)}, samples: 1}
		}
		return data
	}
	full := func(n int) []metricDatum {
		data := make([]metricDatum, n)
		for i := range data {
			values := make([]float64, maxValuesPerDatum)
			data[i] = metricDatum{datum: types.MetricDatum{MetricName: aws.String("GrpcRequestDuration"), Values: values, Counts: values}, samples: 150}
		}
		return data
	}
	tests := []struct {
		name     string
		data     []metricDatum
		maxBytes int
		want     []int
	}{
		{"1,000 data fit in one request", small(1000), maxPayloadBytes, []int{1000}},
		{"1,001 data take two requests", small(1001), maxPayloadBytes, []int{1000, 1}},
		{"2,500 data take three requests", small(2500), maxPayloadBytes, []int{1000, 1000, 500}},
		{"one datum is one request", small(1), maxPayloadBytes, []int{1}},
		{"full datums are split by payload size before the count limit", full(1000), maxPayloadBytes, []int{336, 336, 328}},
		{"a tight payload limit splits small data too", small(10), requestFixedBytes + len("Example") + 3*(datumFixedBytes+len("Requests")), []int{3, 3, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			batches := batchData("Example", tt.data, maxDataPerRequest, tt.maxBytes)
			var sizes []int
			for _, b := range batches {
				sizes = append(sizes, len(b))
				bytes := requestFixedBytes + len("Example")
				for _, d := range b {
					bytes += estimateDatumBytes(d.datum)
				}
				if bytes > tt.maxBytes {
					t.Errorf("a batch of %d data is estimated at %d bytes, over the limit of %d", len(b), bytes, tt.maxBytes)
				}
			}
			if !reflect.DeepEqual(sizes, tt.want) {
				t.Errorf("batch sizes = %v, want %v", sizes, tt.want)
			}
		})
	}
}

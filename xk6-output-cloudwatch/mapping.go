package cloudwatch

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"go.k6.io/k6/metrics"
)

// PutMetricData limits, from
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
const (
	// maxDataPerRequest is the most MetricData entries in one request.
	maxDataPerRequest = 1000
	// maxValuesPerDatum is the most Values (and Counts) entries in one datum.
	maxValuesPerDatum = 150
	// maxPayloadBytes is the largest request body CloudWatch accepts.
	maxPayloadBytes = 1_000_000
)

// Size estimate of one datum in the request body, deliberately generous:
// field names and CBOR headers, 9 bytes per float64 and timestamp, plus the
// variable-length strings. A test checks it against what the SDK sends.
const (
	datumFixedBytes     = 256
	dimensionFixedBytes = 24
	floatBytes          = 9
	requestFixedBytes   = 256
)

// metricDatum pairs a PutMetricData datum with the number of k6 samples it
// carries, so a failed request can say how many samples were lost.
type metricDatum struct {
	datum   types.MetricDatum
	samples int64
}

// toMetricDatum maps one aggregated series to one datum: trends as
// Values/Counts (CloudWatch computes percentiles from them), counters as
// their sum, rates as the share of non-zero samples, gauges as a statistic
// set whose Sum (and so Average) is the last value and Maximum the highest.
func toMetricDatum(s *series, at time.Time, storageResolution int) metricDatum {
	d := types.MetricDatum{
		MetricName: aws.String(s.cw.Name),
		Unit:       types.StandardUnit(s.cw.Unit),
		Timestamp:  aws.Time(at),
	}
	if storageResolution == 1 {
		d.StorageResolution = aws.Int32(1)
	}
	for _, dim := range s.dims {
		d.Dimensions = append(d.Dimensions, types.Dimension{Name: aws.String(dim.Name), Value: aws.String(dim.Value)})
	}
	switch s.kind {
	case metrics.Trend:
		d.Values, d.Counts = s.dist.points(maxValuesPerDatum)
	case metrics.Counter:
		d.Value = aws.Float64(s.sum)
	case metrics.Rate:
		d.Value = aws.Float64(s.rate())
	case metrics.Gauge:
		d.StatisticValues = &types.StatisticSet{
			SampleCount: aws.Float64(1),
			Sum:         aws.Float64(s.last),
			Minimum:     aws.Float64(s.min),
			Maximum:     aws.Float64(s.max),
		}
	}
	return metricDatum{datum: d, samples: s.k6Samples()}
}

func estimateDatumBytes(d types.MetricDatum) int {
	size := datumFixedBytes + len(aws.ToString(d.MetricName)) + len(d.Unit)
	for _, dim := range d.Dimensions {
		size += dimensionFixedBytes + len(aws.ToString(dim.Name)) + len(aws.ToString(dim.Value))
	}
	return size + floatBytes*(len(d.Values)+len(d.Counts))
}

// batchData splits data into requests of at most maxData entries and at
// most maxBytes estimated bytes each, keeping their order.
func batchData(namespace string, data []metricDatum, maxData, maxBytes int) [][]metricDatum {
	var batches [][]metricDatum
	var current []metricDatum
	size := requestFixedBytes + len(namespace)
	for _, d := range data {
		datumSize := estimateDatumBytes(d.datum)
		if len(current) > 0 && (len(current) == maxData || size+datumSize > maxBytes) {
			batches = append(batches, current)
			current, size = nil, requestFixedBytes+len(namespace)
		}
		current = append(current, d)
		size += datumSize
	}
	if len(current) > 0 {
		batches = append(batches, current)
	}
	return batches
}

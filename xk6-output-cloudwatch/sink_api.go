package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// apiSink sends a period's series with PutMetricData, one request at a
// time, in batches within the API limits.
type apiSink struct {
	client            metricDataPutter
	namespace         string
	storageResolution int
	timeout           time.Duration
	maxBytes          int
}

func (a *apiSink) publish(ctx context.Context, period []*series, at time.Time) (int64, error) {
	data := make([]metricDatum, 0, len(period))
	for _, s := range period {
		data = append(data, toMetricDatum(s, at, a.storageResolution))
	}
	var lost int64
	var errs []error
	for _, batch := range batchData(a.namespace, data, maxDataPerRequest, a.maxBytes) {
		in := &cloudwatch.PutMetricDataInput{Namespace: aws.String(a.namespace), MetricData: make([]types.MetricDatum, 0, len(batch))}
		var samples int64
		for _, d := range batch {
			in.MetricData = append(in.MetricData, d.datum)
			samples += d.samples
		}
		callCtx, cancel := context.WithTimeout(ctx, a.timeout)
		_, err := a.client.PutMetricData(callCtx, in)
		cancel()
		if err != nil {
			lost += samples
			errs = append(errs, fmt.Errorf("PutMetricData with %d data: %w", len(batch), err))
		}
	}
	return lost, errors.Join(errs...)
}

func (a *apiSink) close() error { return nil }

package cloudwatch

import (
	"encoding/json"
	"fmt"
	"time"

	"go.k6.io/k6/metrics"
)

// maxEMFValuesPerMetric is the most values one metric may carry in one
// Embedded Metric Format document, from
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
const maxEMFValuesPerMetric = 100

type emfMetric struct {
	Name              string `json:"Name"`
	Unit              string `json:"Unit"`
	StorageResolution int    `json:"StorageResolution,omitempty"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetadata struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

// emfDocument is one EMF log event and the number of k6 samples it carries.
type emfDocument struct {
	body    []byte
	samples int64
}

// toEMFDocuments maps one aggregated series to EMF documents. The format
// has no counts, so a trend's values are repeated as often as they occurred
// and split into documents of at most 100 values: CloudWatch then sees
// every sample (bucketed beyond 150 distinct values) and its percentiles and
// sample counts hold. Counters are sent as their sum, rates as the share of
// non-zero samples, gauges as their last value.
func toEMFDocuments(s *series, namespace string, at time.Time, storageResolution int) ([]emfDocument, error) {
	switch s.kind {
	case metrics.Trend:
		values, counts := s.dist.points(exactValueLimit)
		var docs []emfDocument
		chunk := make([]float64, 0, maxEMFValuesPerMetric)
		flush := func() error {
			body, err := encodeEMF(s, namespace, at, storageResolution, chunk)
			if err != nil {
				return err
			}
			docs = append(docs, emfDocument{body: body, samples: int64(len(chunk))})
			chunk = chunk[:0]
			return nil
		}
		for i, value := range values {
			for n := int64(0); n < int64(counts[i]); n++ {
				chunk = append(chunk, value)
				if len(chunk) == maxEMFValuesPerMetric {
					if err := flush(); err != nil {
						return nil, err
					}
				}
			}
		}
		if len(chunk) > 0 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		return docs, nil
	case metrics.Counter:
		return singleEMFDocument(s, namespace, at, storageResolution, s.sum)
	case metrics.Rate:
		return singleEMFDocument(s, namespace, at, storageResolution, s.rate())
	default:
		return singleEMFDocument(s, namespace, at, storageResolution, s.last)
	}
}

func singleEMFDocument(s *series, namespace string, at time.Time, storageResolution int, value float64) ([]emfDocument, error) {
	body, err := encodeEMF(s, namespace, at, storageResolution, value)
	if err != nil {
		return nil, err
	}
	return []emfDocument{{body: body, samples: s.k6Samples()}}, nil
}

func encodeEMF(s *series, namespace string, at time.Time, storageResolution int, value any) ([]byte, error) {
	dimNames := make([]string, 0, len(s.dims))
	root := make(map[string]any, len(s.dims)+2)
	for _, dim := range s.dims {
		dimNames = append(dimNames, dim.Name)
		root[dim.Name] = dim.Value
	}
	metric := emfMetric{Name: s.cw.Name, Unit: s.cw.Unit}
	if storageResolution == 1 {
		metric.StorageResolution = 1
	}
	root["_aws"] = emfMetadata{
		Timestamp: at.UnixMilli(),
		CloudWatchMetrics: []emfDirective{{
			Namespace:  namespace,
			Dimensions: [][]string{dimNames},
			Metrics:    []emfMetric{metric},
		}},
	}
	root[s.cw.Name] = value
	body, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("encoding EMF document for %s: %w", s.cw.Name, err)
	}
	return body, nil
}

// Package cloudwatch is the k6 output "cloudwatch": it streams k6 metrics to
// Amazon CloudWatch as Embedded Metric Format documents or PutMetricData
// requests, aggregated per flush period.
package cloudwatch

import "go.k6.io/k6/output"

func init() {
	output.RegisterExtension("cloudwatch", New)
}

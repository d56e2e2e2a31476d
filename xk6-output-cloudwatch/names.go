package cloudwatch

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// metricNamesJSON is a copy of data/metric-names.json, the list shared with
// the dashboards and alarms in infra/; a test keeps the two identical, so
// the names this output sends are the names the dashboards plot.
//
//go:embed metric-names.json
var metricNamesJSON []byte

// metricName is the CloudWatch side of one k6 metric.
type metricName struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	Type string `json:"type"`
}

// metricCatalog is the parsed shared list: namespace, dimension allow-list
// and the k6 metric -> CloudWatch metric map. Metrics not in it are not sent.
type metricCatalog struct {
	Namespace  string `json:"namespace"`
	Dimensions struct {
		Default  []string `json:"default"`
		Optional []string `json:"optional"`
	} `json:"dimensions"`
	Metrics map[string]metricName `json:"metrics"`
}

func parseMetricCatalog(raw []byte) (metricCatalog, error) {
	var catalog metricCatalog
	if err := json.Unmarshal(raw, &catalog); err != nil {
		return metricCatalog{}, fmt.Errorf("invalid metric-names.json: %w", err)
	}
	if catalog.Namespace == "" || len(catalog.Metrics) == 0 {
		return metricCatalog{}, fmt.Errorf("invalid metric-names.json; reason: expected a namespace and at least one metric")
	}
	return catalog, nil
}

// sharedCatalog is parsed once: the embedded file is part of the binary, so
// a parse failure is a build defect that the tests catch.
var sharedCatalog, sharedCatalogErr = parseMetricCatalog(metricNamesJSON)

// defaultDimensions is the allow-list used when none is configured: the
// default and optional dimensions of the shared list. Optional ones (testid,
// instance) only appear on samples that carry those tags.
func defaultDimensions(catalog metricCatalog) []string {
	dims := make([]string, 0, len(catalog.Dimensions.Default)+len(catalog.Dimensions.Optional))
	dims = append(dims, catalog.Dimensions.Default...)
	return append(dims, catalog.Dimensions.Optional...)
}

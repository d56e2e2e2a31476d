package cloudwatch

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestEmbeddedMetricNamesEqualTheSharedList(t *testing.T) {
	t.Parallel()
	shared, err := os.ReadFile(filepath.Join("..", "data", "metric-names.json"))
	if err != nil {
		t.Fatalf("reading the shared list: %v", err)
	}
	if !bytes.Equal(shared, metricNamesJSON) {
		t.Fatalf("xk6-output-cloudwatch/metric-names.json differs from data/metric-names.json; copy the shared file over the embedded one")
	}
}

func TestSharedListMapsEveryMetricToANameUnitAndKnownType(t *testing.T) {
	t.Parallel()
	if sharedCatalogErr != nil {
		t.Fatalf("embedded list does not parse: %v", sharedCatalogErr)
	}
	if sharedCatalog.Namespace != "OpenSaves/LoadTest" {
		t.Errorf("namespace = %q, want OpenSaves/LoadTest", sharedCatalog.Namespace)
	}
	knownUnits := map[string]bool{"Milliseconds": true, "Count": true, "None": true, "Seconds": true, "Bytes": true, "Percent": true}
	knownTypes := map[string]bool{"trend": true, "counter": true, "rate": true, "gauge": true}
	seen := map[string]string{}
	for k6Name, m := range sharedCatalog.Metrics {
		if m.Name == "" || !knownUnits[m.Unit] || !knownTypes[m.Type] {
			t.Errorf("metric %s: name %q unit %q type %q; expected a name, a CloudWatch unit and one of trend/counter/rate/gauge", k6Name, m.Name, m.Unit, m.Type)
		}
		if other, dup := seen[m.Name]; dup {
			t.Errorf("CloudWatch name %s is used by both %s and %s", m.Name, other, k6Name)
		}
		seen[m.Name] = k6Name
	}
	for _, dim := range defaultDimensions(sharedCatalog) {
		if forbiddenDimensions[dim] {
			t.Errorf("shared allow-list contains high-cardinality tag %q", dim)
		}
	}
}

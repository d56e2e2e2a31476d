package cloudwatch

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigLayersDefaultsThenJSONThenEnvironmentThenArgument(t *testing.T) {
	t.Parallel()
	defaults := defaultConfig(sharedCatalog)
	with := func(change func(c *Config)) Config {
		c := defaults
		c.Dimensions = append([]string(nil), defaults.Dimensions...)
		change(&c)
		return c
	}
	tests := []struct {
		name string
		json string
		env  map[string]string
		arg  string
		want Config
	}{
		{
			name: "nothing set gives the defaults from the shared list",
			want: with(func(c *Config) {
				c.Dimensions = []string{"op", "status", "scenario", "testid", "instance"}
			}),
		},
		{
			name: "the JSON config overrides the defaults",
			json: `{"sink":"api","pushInterval":"1s","dimensions":["op"],"storageResolution":1,"region":"eu-west-1"}`,
			want: with(func(c *Config) {
				c.Sink, c.PushInterval, c.Dimensions, c.StorageResolution, c.Region = "api", time.Second, []string{"op"}, 1, "eu-west-1"
			}),
		},
		{
			name: "the environment overrides the JSON config",
			json: `{"namespace":"FromJSON","pushInterval":"30s"}`,
			env:  map[string]string{"K6_CLOUDWATCH_NAMESPACE": "FromEnv", "K6_CLOUDWATCH_DIMENSIONS": "op, scenario"},
			want: with(func(c *Config) {
				c.Namespace, c.PushInterval, c.Dimensions = "FromEnv", 30*time.Second, []string{"op", "scenario"}
			}),
		},
		{
			name: "the --out argument overrides the environment",
			env:  map[string]string{"K6_CLOUDWATCH_EMF_ADDRESS": "tcp://127.0.0.1:1", "K6_CLOUDWATCH_MAX_ATTEMPTS": "2"},
			arg:  "emfAddress=file:/tmp/emf.log,dimensions=op,status,maxSeries=5",
			want: with(func(c *Config) {
				c.EMFAddress, c.MaxAttempts, c.Dimensions, c.MaxSeries = "file:/tmp/emf.log", 2, []string{"op", "status"}, 5
			}),
		},
		{
			name: "environment variables of other outputs are ignored",
			env:  map[string]string{"K6_PROMETHEUS_RW_SERVER_URL": "http://x", "K6_CLOUDWATCH": "api"},
			want: defaults,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := consolidateConfig(sharedCatalog, json.RawMessage(tt.json), tt.env, tt.arg)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("config\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestInvalidSettingsFailWithAMessageNamingTheSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		json    string
		env     map[string]string
		arg     string
		message string
	}{
		{"unknown sink in the environment", "", map[string]string{"K6_CLOUDWATCH_SINK": "statsd"}, "",
			"invalid K6_CLOUDWATCH_SINK; reason: expected \"emf\" or \"api\", got `statsd`"},
		{"push interval below one second", "", map[string]string{"K6_CLOUDWATCH_PUSH_INTERVAL": "500ms"}, "",
			"invalid K6_CLOUDWATCH_PUSH_INTERVAL; reason: expected a duration of at least 1s, such as 10s, got `500ms`"},
		{"push interval that is not a duration", `{"pushInterval":"ten"}`, nil, "",
			"invalid cloudwatch JSON config \"pushInterval\"; reason: expected a duration of at least 1s, such as 10s, got `\"ten\"`"},
		{"high-cardinality dimension", "", nil, "dimensions=op,vu",
			"invalid --out cloudwatch argument \"dimensions\"; reason: expected a comma-separated list of at most 30 tag names, none of vu, iter, url, name, error, got `op,vu`"},
		{"url as a dimension in JSON", `{"dimensions":["url"]}`, nil, "",
			"invalid cloudwatch JSON config \"dimensions\""},
		{"storage resolution other than 1 or 60", "", map[string]string{"K6_CLOUDWATCH_STORAGE_RESOLUTION": "10"}, "",
			"invalid K6_CLOUDWATCH_STORAGE_RESOLUTION; reason: expected 1 or 60, got `10`"},
		{"EMF address without a port", "", map[string]string{"K6_CLOUDWATCH_EMF_ADDRESS": "udp://127.0.0.1"}, "",
			"invalid K6_CLOUDWATCH_EMF_ADDRESS; reason: expected udp://host:port, tcp://host:port, file:PATH or stdout, got `udp://127.0.0.1`"},
		{"EMF address with an unknown scheme", "", nil, "emfAddress=http://127.0.0.1:25888",
			"invalid --out cloudwatch argument \"emfAddress\""},
		{"endpoint that is not a URL", "", map[string]string{"K6_CLOUDWATCH_ENDPOINT": "127.0.0.1:4566"}, "",
			"invalid K6_CLOUDWATCH_ENDPOINT; reason: expected an http:// or https:// URL, got `127.0.0.1:4566`"},
		{"namespace reserved for AWS", `{"namespace":"AWS/EC2"}`, nil, "",
			"invalid cloudwatch JSON config \"namespace\"; reason: expected 1 to 255 characters, not starting with AWS/"},
		{"zero attempts", "", map[string]string{"K6_CLOUDWATCH_MAX_ATTEMPTS": "0"}, "",
			"invalid K6_CLOUDWATCH_MAX_ATTEMPTS; reason: expected an integer from 1 to 10, got `0`"},
		{"unknown JSON key", `{"pushIntervall":"1s"}`, nil, "",
			"invalid cloudwatch JSON config key; reason: expected one of dimensions, emfAddress, endpoint, maxAttempts, maxBackoff, maxSeries, namespace, pushInterval, region, sink, storageResolution, got `pushIntervall`"},
		{"JSON config that is not an object", `["api"]`, nil, "",
			"invalid cloudwatch JSON config; reason: expected a JSON object"},
		{"argument token without a key", "", nil, "sink=api,fast",
			"invalid --out cloudwatch argument; reason: expected comma-separated key=value pairs"},
		{"unknown argument key", "", nil, "bucket=x",
			"invalid --out cloudwatch argument key; reason: expected one of"},
		{"a valid JSON value does not hide an invalid argument", `{"sink":"api"}`, nil, "sink=udp",
			"invalid --out cloudwatch argument \"sink\"; reason: expected \"emf\" or \"api\", got `udp`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := consolidateConfig(sharedCatalog, json.RawMessage(tt.json), tt.env, tt.arg)
			if err == nil {
				t.Fatalf("expected an error containing %q, got none", tt.message)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error\n got %q\nwant it to contain %q", err.Error(), tt.message)
			}
		})
	}
}

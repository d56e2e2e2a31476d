package cloudwatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sink names: where the aggregated metrics go.
const (
	sinkEMF = "emf"
	sinkAPI = "api"
)

// Config is the consolidated, validated configuration of the output.
type Config struct {
	// Sink is "emf" (Embedded Metric Format documents) or "api" (PutMetricData).
	Sink string
	// Namespace is the CloudWatch namespace of every metric.
	Namespace string
	// PushInterval is the aggregation and flush period.
	PushInterval time.Duration
	// Dimensions is the allow-list of k6 tags sent as CloudWatch dimensions.
	Dimensions []string
	// EMFAddress is udp://host:port, tcp://host:port, file:PATH or stdout.
	EMFAddress string
	// StorageResolution is 60 (standard) or 1 (high resolution) seconds.
	StorageResolution int
	// Region overrides the AWS region of the standard chain (api sink).
	Region string
	// Endpoint overrides the CloudWatch endpoint URL (api sink), e.g. for a
	// local test double.
	Endpoint string
	// MaxAttempts bounds the attempts of one PutMetricData call, retries on
	// throttling included.
	MaxAttempts int
	// MaxBackoff caps the backoff between two attempts.
	MaxBackoff time.Duration
	// MaxSeries bounds the metric+dimension series aggregated in one period,
	// which bounds memory; samples of further series are counted as dropped.
	MaxSeries int
}

// forbiddenDimensions are k6 tags whose values are unbounded (one per VU,
// iteration or URL); as dimensions each value would be a new CloudWatch
// metric, billed separately.
var forbiddenDimensions = map[string]bool{
	"vu": true, "iter": true, "url": true, "name": true, "error": true,
}

// ConfigError says which setting is invalid, from which source, and why.
type ConfigError struct {
	Setting  string
	Expected string
	Got      string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("invalid %s; reason: expected %s, got `%s`", e.Setting, e.Expected, e.Got)
}

// setting describes one configuration key: its JSON/argument key, its
// environment variable and how to parse it from text. Every source goes
// through the same parser, so the same value gets the same verdict.
type setting struct {
	key      string
	env      string
	expected string
	apply    func(c *Config, raw string) bool
}

var settings = []setting{
	{"sink", "K6_CLOUDWATCH_SINK", `"emf" or "api"`, func(c *Config, raw string) bool {
		c.Sink = raw
		return raw == sinkEMF || raw == sinkAPI
	}},
	{"namespace", "K6_CLOUDWATCH_NAMESPACE", "1 to 255 characters, not starting with AWS/", func(c *Config, raw string) bool {
		c.Namespace = raw
		return raw != "" && len(raw) <= 255 && !strings.HasPrefix(raw, "AWS/")
	}},
	{"pushInterval", "K6_CLOUDWATCH_PUSH_INTERVAL", "a duration of at least 1s, such as 10s", func(c *Config, raw string) bool {
		d, err := time.ParseDuration(raw)
		c.PushInterval = d
		return err == nil && d >= time.Second
	}},
	{"dimensions", "K6_CLOUDWATCH_DIMENSIONS", "a comma-separated list of at most 30 tag names, none of vu, iter, url, name, error", func(c *Config, raw string) bool {
		dims := splitList(raw)
		c.Dimensions = dims
		if len(dims) > 30 {
			return false
		}
		for _, d := range dims {
			if forbiddenDimensions[d] {
				return false
			}
		}
		return true
	}},
	{"emfAddress", "K6_CLOUDWATCH_EMF_ADDRESS", "udp://host:port, tcp://host:port, file:PATH or stdout", func(c *Config, raw string) bool {
		c.EMFAddress = raw
		return validEMFAddress(raw)
	}},
	{"storageResolution", "K6_CLOUDWATCH_STORAGE_RESOLUTION", "1 or 60", func(c *Config, raw string) bool {
		n, err := strconv.Atoi(raw)
		c.StorageResolution = n
		return err == nil && (n == 1 || n == 60)
	}},
	{"region", "K6_CLOUDWATCH_REGION", "an AWS region name such as eu-west-1", func(c *Config, raw string) bool {
		c.Region = raw
		return raw != "" && !strings.ContainsAny(raw, " /:")
	}},
	{"endpoint", "K6_CLOUDWATCH_ENDPOINT", "an http:// or https:// URL", func(c *Config, raw string) bool {
		c.Endpoint = raw
		u, err := url.Parse(raw)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	}},
	{"maxAttempts", "K6_CLOUDWATCH_MAX_ATTEMPTS", "an integer from 1 to 10", func(c *Config, raw string) bool {
		n, err := strconv.Atoi(raw)
		c.MaxAttempts = n
		return err == nil && n >= 1 && n <= 10
	}},
	{"maxBackoff", "K6_CLOUDWATCH_MAX_BACKOFF", "a duration from 1ms to 1m, such as 5s", func(c *Config, raw string) bool {
		d, err := time.ParseDuration(raw)
		c.MaxBackoff = d
		return err == nil && d >= time.Millisecond && d <= time.Minute
	}},
	{"maxSeries", "K6_CLOUDWATCH_MAX_SERIES", "an integer from 1 to 1000000", func(c *Config, raw string) bool {
		n, err := strconv.Atoi(raw)
		c.MaxSeries = n
		return err == nil && n >= 1 && n <= 1_000_000
	}},
}

func defaultConfig(catalog metricCatalog) Config {
	return Config{
		Sink:              sinkEMF,
		Namespace:         catalog.Namespace,
		PushInterval:      10 * time.Second,
		Dimensions:        defaultDimensions(catalog),
		EMFAddress:        "udp://127.0.0.1:25888",
		StorageResolution: 60,
		MaxAttempts:       5,
		MaxBackoff:        5 * time.Second,
		MaxSeries:         10_000,
	}
}

// consolidateConfig layers defaults < JSON config < environment < --out
// argument. env is the output parameters' environment map, never the
// process environment, so tests pass it in.
func consolidateConfig(catalog metricCatalog, jsonRaw json.RawMessage, env map[string]string, arg string) (Config, error) {
	cfg := defaultConfig(catalog)
	if err := applyJSON(&cfg, jsonRaw); err != nil {
		return Config{}, err
	}
	for _, s := range settings {
		if raw, ok := env[s.env]; ok {
			if !s.apply(&cfg, strings.TrimSpace(raw)) {
				return Config{}, &ConfigError{Setting: s.env, Expected: s.expected, Got: raw}
			}
		}
	}
	if err := applyArgument(&cfg, arg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func settingByKey(key string) (setting, bool) {
	for _, s := range settings {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

func knownKeys() string {
	keys := make([]string, 0, len(settings))
	for _, s := range settings {
		keys = append(keys, s.key)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func applyJSON(cfg *Config, raw json.RawMessage) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return &ConfigError{Setting: "cloudwatch JSON config", Expected: "a JSON object", Got: string(trimmed)}
	}
	keys := make([]string, 0, len(fields))
	for key := range fields {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		s, ok := settingByKey(key)
		if !ok {
			return &ConfigError{Setting: "cloudwatch JSON config key", Expected: "one of " + knownKeys(), Got: key}
		}
		text, ok := jsonValueAsText(fields[key])
		if !ok || !s.apply(cfg, text) {
			return &ConfigError{Setting: fmt.Sprintf("cloudwatch JSON config %q", key), Expected: s.expected, Got: string(fields[key])}
		}
	}
	return nil
}

// jsonValueAsText turns a JSON string, number or array of strings into the
// text form the environment and the argument use.
func jsonValueAsText(raw json.RawMessage) (string, bool) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return text, true
	}
	var number json.Number
	if json.Unmarshal(raw, &number) == nil {
		return number.String(), true
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ","), true
	}
	return "", false
}

// applyArgument reads `--out cloudwatch=key=value,key=value`. A list value
// (dimensions) may continue over commas: `dimensions=op,status,sink=api`.
func applyArgument(cfg *Config, arg string) error {
	if strings.TrimSpace(arg) == "" {
		return nil
	}
	type pair struct{ key, value string }
	var pairs []pair
	for _, token := range strings.Split(arg, ",") {
		key, value, hasValue := strings.Cut(token, "=")
		if !hasValue {
			if len(pairs) > 0 && pairs[len(pairs)-1].key == "dimensions" {
				pairs[len(pairs)-1].value += "," + token
				continue
			}
			return &ConfigError{Setting: "--out cloudwatch argument", Expected: "comma-separated key=value pairs with keys " + knownKeys(), Got: token}
		}
		pairs = append(pairs, pair{strings.TrimSpace(key), value})
	}
	for _, p := range pairs {
		s, ok := settingByKey(p.key)
		if !ok {
			return &ConfigError{Setting: "--out cloudwatch argument key", Expected: "one of " + knownKeys(), Got: p.key}
		}
		if !s.apply(cfg, strings.TrimSpace(p.value)) {
			return &ConfigError{Setting: fmt.Sprintf("--out cloudwatch argument %q", p.key), Expected: s.expected, Got: p.value}
		}
	}
	return nil
}

func splitList(raw string) []string {
	var out []string
	for _, item := range strings.Split(raw, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func validEMFAddress(raw string) bool {
	if raw == "stdout" {
		return true
	}
	if path, ok := strings.CutPrefix(raw, "file:"); ok {
		return strings.TrimPrefix(path, "//") != ""
	}
	scheme, hostPort, ok := strings.Cut(raw, "://")
	if !ok || (scheme != "udp" && scheme != "tcp") {
		return false
	}
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil || host == "" {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

package cloudwatch

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"go.k6.io/k6/metrics"
	"go.k6.io/k6/output"
)

// recordingSink keeps what it is given and fails when told to.
type recordingSink struct {
	mu      sync.Mutex
	fail    error
	periods [][]*series
	closed  bool
}

func (r *recordingSink) publish(_ context.Context, period []*series, _ time.Time) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.periods = append(r.periods, period)
	if r.fail == nil {
		return 0, nil
	}
	var lost int64
	for _, s := range period {
		lost += s.samples
	}
	return lost, r.fail
}

func (r *recordingSink) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return nil
}

func testParams(env map[string]string, arg string) output.Params {
	logger := logrus.New()
	logger.SetOutput(io.Discard)
	return output.Params{OutputType: "cloudwatch", ConfigArgument: arg, Environment: env, Logger: logger}
}

func startWithSink(t *testing.T, sink *recordingSink, env map[string]string) *Output {
	t.Helper()
	out, err := newOutput(testParams(env, ""), func(Config, output.Params) (publisher, error) { return sink, nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Start(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNewRefusesAnInvalidSettingBeforeTheRunStarts(t *testing.T) {
	t.Parallel()
	_, err := New(testParams(map[string]string{"K6_CLOUDWATCH_PUSH_INTERVAL": "0s"}, ""))
	want := "cloudwatch output: invalid K6_CLOUDWATCH_PUSH_INTERVAL; reason: expected a duration of at least 1s, such as 10s, got `0s`"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestStopFlushesBufferedSamplesAndReportsNoLoss(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	out := startWithSink(t, sink, nil)
	f := newSampleFactory(t)

	out.AddMetricSamples([]metrics.SampleContainer{metrics.Samples{
		f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": "Ping"}),
		f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": "Ping"}),
		f.sample("data_received", metrics.Counter, 512, nil),
	}})
	err := out.Stop()

	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !sink.closed || len(sink.periods) != 1 || len(sink.periods[0]) != 1 || sink.periods[0][0].sum != 2 {
		t.Errorf("sink got %d periods (closed %v); want one period with Requests{op=Ping} = 2", len(sink.periods), sink.closed)
	}
}

func TestStopReportsHowManySamplesWereLost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fail    error
		env     map[string]string
		samples int
		want    string
	}{
		{"a failing sink loses its period", errors.New("agent unreachable"), nil, 4,
			"cloudwatch output: 4 of 4 samples were lost (4 not delivered by the emf sink, 0 beyond the limit of 10000 series per period); last error: agent unreachable"},
		{"series beyond the limit are dropped", nil, map[string]string{"K6_CLOUDWATCH_MAX_SERIES": "1"}, 4,
			"cloudwatch output: 3 of 4 samples were lost (0 not delivered by the emf sink, 3 beyond the limit of 1 series per period); last error: <nil>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := startWithSink(t, &recordingSink{fail: tt.fail}, tt.env)
			f := newSampleFactory(t)
			var samples metrics.Samples
			for i := 0; i < tt.samples; i++ {
				samples = append(samples, f.sample("opensaves_errors", metrics.Counter, 1, map[string]string{"op": string(rune('A' + i))}))
			}
			// not in the shared list: never sent, so never counted as lost
			samples = append(samples, f.sample("data_sent", metrics.Counter, 100, nil))

			out.AddMetricSamples([]metrics.SampleContainer{samples})
			err := out.Stop()

			if err == nil || err.Error() != tt.want {
				t.Errorf("Stop error\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestAddMetricSamplesDoesNotWaitForASlowSink(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := &blockingSink{release: release}
	out, err := newOutput(testParams(map[string]string{"K6_CLOUDWATCH_PUSH_INTERVAL": "1s"}, ""), func(Config, output.Params) (publisher, error) { return slow, nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Start(); err != nil {
		t.Fatal(err)
	}
	f := newSampleFactory(t)
	batch := []metrics.SampleContainer{f.sample("iterations", metrics.Counter, 1, nil)}

	started := time.Now()
	for i := 0; i < 10_000; i++ {
		out.AddMetricSamples(batch)
	}
	elapsed := time.Since(started)
	close(release)
	if err := out.Stop(); err != nil {
		t.Fatal(err)
	}

	if elapsed > 500*time.Millisecond {
		t.Errorf("10,000 AddMetricSamples calls took %s while the sink was blocked", elapsed)
	}
	if slow.samples != 10_000 {
		t.Errorf("sink received %d samples, want 10000", slow.samples)
	}
}

type blockingSink struct {
	release chan struct{}
	samples int64
}

func (b *blockingSink) publish(_ context.Context, period []*series, _ time.Time) (int64, error) {
	<-b.release
	for _, s := range period {
		b.samples += int64(s.sum)
	}
	return 0, nil
}

func (b *blockingSink) close() error { return nil }

func TestDescriptionNamesTheSinkAndNamespace(t *testing.T) {
	t.Parallel()
	out, err := newOutput(testParams(nil, "sink=api,namespace=Custom/NS"), newSink)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Description(); !strings.Contains(got, "PutMetricData") || !strings.Contains(got, "Custom/NS") {
		t.Errorf("Description() = %q", got)
	}
}

package cloudwatch

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"go.k6.io/k6/output"
)

// publisher delivers one flush period's series to CloudWatch and reports how
// many k6 samples it could not deliver.
type publisher interface {
	publish(ctx context.Context, period []*series, at time.Time) (lost int64, err error)
	close() error
}

// Output is the k6 output "cloudwatch": it buffers samples without blocking
// k6, aggregates them per flush period and hands the period to a sink.
type Output struct {
	output.SampleBuffer

	cfg     Config
	params  output.Params
	logger  logrus.FieldLogger
	now     func() time.Time
	newSink func(Config, output.Params) (publisher, error)

	sink    publisher
	flusher *output.PeriodicFlusher
	agg     *aggregator
	warned  map[string]bool

	mu sync.Mutex
	// received counts samples of listed metrics; the others are not sent
	// by design and are never counted as lost.
	received int64
	lost     int64
	dropped  int64
	lastErr  error
}

var _ output.Output = new(Output)

// New is the constructor k6 calls for `--out cloudwatch`. The configuration
// is consolidated and validated here, so a bad setting fails the run before
// any load is generated.
func New(params output.Params) (output.Output, error) {
	return newOutput(params, newSink)
}

func newOutput(params output.Params, sinkFactory func(Config, output.Params) (publisher, error)) (*Output, error) {
	if sharedCatalogErr != nil {
		return nil, sharedCatalogErr
	}
	cfg, err := consolidateConfig(sharedCatalog, params.JSONConfig, params.Environment, params.ConfigArgument)
	if err != nil {
		return nil, fmt.Errorf("cloudwatch output: %w", err)
	}
	logger := params.Logger
	if logger == nil {
		logger = logrus.New()
	}
	return &Output{
		cfg:     cfg,
		params:  params,
		logger:  logger.WithField("output", "cloudwatch"),
		now:     time.Now,
		newSink: sinkFactory,
		agg:     newAggregator(sharedCatalog, cfg.Dimensions, cfg.MaxSeries),
		warned:  make(map[string]bool),
	}, nil
}

func newSink(cfg Config, params output.Params) (publisher, error) {
	if cfg.Sink == sinkAPI {
		client, err := newCloudWatchClient(context.Background(), cfg)
		if err != nil {
			return nil, err
		}
		return &apiSink{client: client, namespace: cfg.Namespace, storageResolution: cfg.StorageResolution, timeout: requestTimeout(cfg), maxBytes: maxPayloadBytes}, nil
	}
	transport, err := newEMFTransport(cfg.EMFAddress, params.StdOut)
	if err != nil {
		return nil, err
	}
	return &emfSink{namespace: cfg.Namespace, storageResolution: cfg.StorageResolution, transport: transport}, nil
}

// Description is shown by k6 in its output list.
func (o *Output) Description() string {
	if o.cfg.Sink == sinkAPI {
		return fmt.Sprintf("cloudwatch (PutMetricData, namespace %s)", o.cfg.Namespace)
	}
	return fmt.Sprintf("cloudwatch (EMF to %s, namespace %s)", o.cfg.EMFAddress, o.cfg.Namespace)
}

// Start opens the sink and starts the periodic flush.
func (o *Output) Start() error {
	sink, err := o.newSink(o.cfg, o.params)
	if err != nil {
		return fmt.Errorf("cloudwatch output: %w", err)
	}
	o.sink = sink
	flusher, err := output.NewPeriodicFlusher(o.cfg.PushInterval, o.flush)
	if err != nil {
		_ = sink.close()
		return fmt.Errorf("cloudwatch output: %w", err)
	}
	o.flusher = flusher
	o.logger.WithField("sink", o.cfg.Sink).Debug("started")
	return nil
}

// Stop flushes what is buffered, closes the sink and reports any samples
// that never reached CloudWatch.
func (o *Output) Stop() error {
	if o.flusher != nil {
		o.flusher.Stop()
	}
	var closeErr error
	if o.sink != nil {
		closeErr = o.sink.close()
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.lost > 0 || o.dropped > 0 {
		return fmt.Errorf("cloudwatch output: %d of %d samples were lost (%d not delivered by the %s sink, %d beyond the limit of %d series per period); last error: %v",
			o.lost+o.dropped, o.received, o.lost, o.cfg.Sink, o.dropped, o.cfg.MaxSeries, o.lastErr)
	}
	if closeErr != nil {
		return fmt.Errorf("cloudwatch output: closing the %s sink: %w", o.cfg.Sink, closeErr)
	}
	return nil
}

// flush runs on the PeriodicFlusher's goroutine only, so the aggregator
// needs no lock; the counters read by Stop do.
func (o *Output) flush() {
	started := o.now()
	for _, container := range o.GetBufferedSamples() {
		for _, sample := range container.GetSamples() {
			o.agg.add(sample)
		}
	}
	period := o.agg.drain()
	received, dropped := o.agg.listed, o.agg.dropped
	o.agg.listed, o.agg.dropped = 0, 0
	o.warnUnknownMetrics()

	var lost int64
	var err error
	if len(period) > 0 {
		lost, err = o.sink.publish(context.Background(), period, started)
	}

	o.mu.Lock()
	o.received += received
	o.dropped += dropped
	o.lost += lost
	if err != nil {
		o.lastErr = err
	}
	o.mu.Unlock()

	if err != nil {
		o.logger.WithError(err).WithField("lostSamples", lost).Warn("sending metrics failed")
	}
	if dropped > 0 {
		o.logger.WithField("droppedSamples", dropped).Warnf("more than %d series in one period; raise maxSeries or narrow the dimensions", o.cfg.MaxSeries)
	}
	if elapsed := o.now().Sub(started); elapsed > o.cfg.PushInterval {
		o.logger.WithField("elapsed", elapsed).Warnf("flush took longer than the push interval %s; consider a longer pushInterval", o.cfg.PushInterval)
	}
}

// warnUnknownMetrics logs, once per metric, the k6 metrics that are not in
// the shared list and so are deliberately not sent.
func (o *Output) warnUnknownMetrics() {
	for name := range o.agg.unknown {
		if !o.warned[name] {
			o.warned[name] = true
			o.logger.WithField("metric", name).Debug("not in metric-names.json; not sent")
		}
	}
	clear(o.agg.unknown)
}

package cloudwatch

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
)

// metricDataPutter is the one CloudWatch call the api sink makes; tests
// inject a fake, the output uses the SDK client.
type metricDataPutter interface {
	PutMetricData(ctx context.Context, in *cloudwatch.PutMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error)
}

// newCloudWatchClient builds the SDK client from the standard credential
// chain and region (environment, shared files, instance roles), with the
// configured region and endpoint overrides. The SDK's standard retryer
// retries throttling (and transient) errors with exponential backoff and
// jitter; the output bounds its attempts and backoff. extra load options
// let tests supply static credentials.
func newCloudWatchClient(ctx context.Context, cfg Config, extra ...func(*awsconfig.LoadOptions) error) (*cloudwatch.Client, error) {
	options := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = cfg.MaxAttempts
				o.MaxBackoff = cfg.MaxBackoff
			})
		}),
	}
	if cfg.Region != "" {
		options = append(options, awsconfig.WithRegion(cfg.Region))
	}
	options = append(options, extra...)
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, options...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		return nil, &ConfigError{Setting: "AWS region (K6_CLOUDWATCH_REGION or AWS_REGION)", Expected: "a region for the api sink", Got: ""}
	}
	return cloudwatch.NewFromConfig(awsCfg, func(o *cloudwatch.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	}), nil
}

// requestTimeout bounds one PutMetricData call including its retries, so a
// dead endpoint cannot hold the flush forever.
func requestTimeout(cfg Config) time.Duration {
	return time.Duration(cfg.MaxAttempts)*(cfg.MaxBackoff+10*time.Second) + time.Second
}

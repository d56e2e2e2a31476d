// The SNS topic every alarm notifies, with the configured e-mail subscribed
// (the address must confirm the subscription once before mail arrives).
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Construct } from 'constructs';

export interface AlarmTopicConfig {
  readonly name: string;
  readonly email: string;
  // Set only for a topic that must live beside alarms in another region (CloudFront).
  readonly region?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, config: AlarmTopicConfig) {
    super(scope, id);
    const region = config.region === undefined ? {} : { region: config.region };
    this.topic = new SnsTopic(this, 'topic', { name: config.name, ...region });
    new SnsTopicSubscription(this, 'email', {
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: config.email,
      ...region,
    });
  }

  get arn(): string {
    return this.topic.arn;
  }
}

// The AWS port's three DynamoDB tables: capacity, throttles, latency per operation, errors.
import { DYNAMODB, DYNAMODB_OPERATIONS } from '../../catalogue/aws-metrics.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody, type Series } from './widgets.js';

export type TableRole = keyof typeof DYNAMODB_OPERATIONS;

export interface DynamoDbDashboardParams {
  readonly region: string;
  readonly tables: Readonly<Record<TableRole, string>>;
  readonly latencyMs: number;
}

export function dynamoDbDashboard({ region, tables, latencyMs }: DynamoDbDashboardParams): DashboardBody {
  const roles = Object.keys(tables) as TableRole[];
  const perTable = (metricName: string, stat: string): Series[] =>
    roles.map((role) => metric(DYNAMODB.namespace, metricName, { [DYNAMODB.dimensions.table]: tables[role] }, { stat, label: tables[role] }));
  const tableWidgets = roles.map((role) =>
    graph({
      title: `${tables[role]}: SuccessfulRequestLatency by operation (ms)`,
      region,
      series: DYNAMODB_OPERATIONS[role].map((operation) =>
        metric(
          DYNAMODB.namespace,
          DYNAMODB.metrics.latency,
          { [DYNAMODB.dimensions.table]: tables[role], [DYNAMODB.dimensions.operation]: operation },
          { stat: 'Average', label: operation },
        ),
      ),
      annotations: [sloLine(`alarm ${latencyMs} ms`, latencyMs)],
      yMin: 0,
      width: 8,
    }),
  );
  const recordsDims = { [DYNAMODB.dimensions.table]: tables.records };
  return dashboard([
    text({ width: 24, markdown: '## DynamoDB\nOn-demand tables of the AWS port: stores, records (with the OwnerIDIndex and GameIDIndex GSIs) and metadata.' }),
    graph({ title: 'Consumed read capacity (units/min)', region, series: perTable(DYNAMODB.metrics.consumedRead, 'Sum'), yMin: 0, width: 8 }),
    graph({ title: 'Consumed write capacity (units/min)', region, series: perTable(DYNAMODB.metrics.consumedWrite, 'Sum'), yMin: 0, width: 8 }),
    graph({
      title: 'Throttled requests (read + write)',
      region,
      series: roles.flatMap((role) => [
        metric(DYNAMODB.namespace, DYNAMODB.metrics.readThrottles, { [DYNAMODB.dimensions.table]: tables[role] }, { stat: 'Sum', label: `${tables[role]} read` }),
        metric(DYNAMODB.namespace, DYNAMODB.metrics.writeThrottles, { [DYNAMODB.dimensions.table]: tables[role] }, { stat: 'Sum', label: `${tables[role]} write` }),
      ]),
      yMin: 0,
      width: 8,
    }),
    ...tableWidgets,
    graph({ title: 'System errors (HTTP 500 from DynamoDB)', region, series: perTable(DYNAMODB.metrics.systemErrors, 'Sum'), yMin: 0, width: 8 }),
    graph({
      title: 'Conditional check failures on records (% of writes)',
      region,
      series: [
        metric(DYNAMODB.namespace, DYNAMODB.metrics.conditionalCheckFailed, recordsDims, { stat: 'Sum', id: 'failed', visible: false }),
        metric(DYNAMODB.namespace, DYNAMODB.metrics.latency, { ...recordsDims, [DYNAMODB.dimensions.operation]: 'PutItem' }, { stat: 'SampleCount', id: 'puts', visible: false }),
        metric(DYNAMODB.namespace, DYNAMODB.metrics.latency, { ...recordsDims, [DYNAMODB.dimensions.operation]: 'UpdateItem' }, { stat: 'SampleCount', id: 'updates', visible: false }),
        expression('failedPct', '100 * failed / (puts + updates)', { label: 'conditional failures %' }),
      ],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Items returned by Query on records (avg per call)',
      region,
      series: [metric(DYNAMODB.namespace, DYNAMODB.metrics.returnedItems, { ...recordsDims, [DYNAMODB.dimensions.operation]: 'Query' }, { stat: 'Average', label: 'items/Query' })],
      yMin: 0,
      width: 8,
    }),
  ]);
}

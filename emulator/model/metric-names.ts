// Names of the model's queueing figures, which CloudWatch has no metric for: named in
// its style, in a namespace of their own. No imports, so the analysis can read them cheaply.
export const MODEL_QUEUE = {
  namespace: 'OpenSaves/EmulatorModel',
  metrics: { queueLength: 'RequestQueueLength', queueWait: 'RequestQueueWaitTime', rejected: 'RejectedRequests' },
} as const;

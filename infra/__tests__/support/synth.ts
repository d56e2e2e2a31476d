// Synthesized Terraform JSON, parsed, with helpers to pick resources by type.
import { Testing, type TerraformStack } from 'cdktf';
import {
  getToHaveDataSourceWithProperties,
  getToHaveProviderWithProperties,
  getToHaveResourceWithProperties,
} from 'cdktf/lib/testing/matchers.js';
import { expect } from 'vitest';

export interface SynthResult {
  readonly json: string;
  readonly doc: Record<string, any>;
}

export function synthStack(stack: TerraformStack): SynthResult {
  const json = Testing.synth(stack);
  return { json, doc: JSON.parse(json) };
}

export function resourcesOf(result: SynthResult, type: string): Record<string, any>[] {
  return Object.values(result.doc.resource?.[type] ?? {});
}

export function dataSourcesOf(result: SynthResult, type: string): Record<string, any>[] {
  return Object.values(result.doc.data?.[type] ?? {});
}

interface ResourceClass {
  readonly tfResourceType: string;
}

// cdktf's matchers are written for Jest; these wrap the same matcher functions for Vitest.
const toHaveResource = getToHaveResourceWithProperties();
const toHaveDataSource = getToHaveDataSourceWithProperties();
const toHaveProvider = getToHaveProviderWithProperties();

expect.extend({
  toHaveResourceWithProperties(received: string, resource: ResourceClass, properties: Record<string, unknown> = {}) {
    const result = toHaveResource(received, resource, properties);
    return { pass: result.pass, message: () => result.message };
  },
  toHaveDataSourceWithProperties(received: string, resource: ResourceClass, properties: Record<string, unknown> = {}) {
    const result = toHaveDataSource(received, resource, properties);
    return { pass: result.pass, message: () => result.message };
  },
  toHaveProviderWithProperties(received: string, resource: ResourceClass, properties: Record<string, unknown> = {}) {
    const result = toHaveProvider(received, resource, properties);
    return { pass: result.pass, message: () => result.message };
  },
});

declare module 'vitest' {
  interface Matchers<T = any> {
    toHaveResourceWithProperties(resource: ResourceClass, properties?: Record<string, unknown>): T;
    toHaveDataSourceWithProperties(resource: ResourceClass, properties?: Record<string, unknown>): T;
    toHaveProviderWithProperties(resource: ResourceClass, properties?: Record<string, unknown>): T;
  }
}

// The grafana/grafana Terraform provider and the two resources the kit needs from it.
// No prebuilt cdktf binding exists on npm, so these are small typed classes over
// TerraformProvider and TerraformResource that write the provider's own argument names.
import {
  TerraformProvider,
  TerraformResource,
  booleanToHclTerraform,
  stringToHclTerraform,
  type TerraformMetaArguments,
} from 'cdktf';
import type { Construct } from 'constructs';

export const GRAFANA_PROVIDER_SOURCE = 'grafana/grafana';
// grafana_data_source and grafana_dashboard take the same arguments in 3.x and 4.x.
export const GRAFANA_PROVIDER_VERSION = '>= 3.0.0, < 5.0.0';

type Attributes = Record<string, string | boolean | undefined>;

function defined(attributes: Attributes): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<string, string | boolean>;
}

// The shape `cdktf synth --hcl` expects for plain (non-block) arguments.
function hclAttributes(attributes: Attributes): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(defined(attributes)).map(([key, value]) => [
      key,
      typeof value === 'boolean'
        ? { value: booleanToHclTerraform(value), isBlock: false, type: 'simple', storageClassType: 'boolean' }
        : { value: stringToHclTerraform(value), isBlock: false, type: 'simple', storageClassType: 'string' },
    ]),
  );
}

export interface GrafanaProviderConfig {
  readonly url: string;
  readonly auth: string;
  readonly alias?: string;
}

export class GrafanaProvider extends TerraformProvider {
  static readonly tfResourceType = 'grafana';

  constructor(scope: Construct, id: string, private readonly config: GrafanaProviderConfig) {
    super(scope, id, {
      terraformResourceType: 'grafana',
      terraformGeneratorMetadata: { providerName: 'grafana', providerVersionConstraint: GRAFANA_PROVIDER_VERSION },
      terraformProviderSource: GRAFANA_PROVIDER_SOURCE,
    });
    this.alias = config.alias;
  }

  private attributes(): Attributes {
    return { url: this.config.url, auth: this.config.auth, alias: this.alias };
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return defined(this.attributes());
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return hclAttributes(this.attributes());
  }
}

abstract class GrafanaResource extends TerraformResource {
  constructor(scope: Construct, id: string, resourceType: string, meta: TerraformMetaArguments) {
    super(scope, id, {
      terraformResourceType: resourceType,
      terraformGeneratorMetadata: { providerName: 'grafana', providerVersionConstraint: GRAFANA_PROVIDER_VERSION },
      ...meta,
    });
  }

  protected abstract attributes(): Attributes;

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return defined(this.attributes());
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return hclAttributes(this.attributes());
  }
}

export interface GrafanaDataSourceConfig extends TerraformMetaArguments {
  readonly type: string;
  readonly name: string;
  readonly uid: string;
  readonly isDefault?: boolean;
  // Serialized with JSON.stringify, as the provider's json_data_encoded expects.
  readonly jsonData: Readonly<Record<string, unknown>>;
}

export class GrafanaDataSource extends GrafanaResource {
  static readonly tfResourceType = 'grafana_data_source';

  constructor(scope: Construct, id: string, private readonly config: GrafanaDataSourceConfig) {
    super(scope, id, GrafanaDataSource.tfResourceType, { provider: config.provider, dependsOn: config.dependsOn });
  }

  protected attributes(): Attributes {
    return {
      type: this.config.type,
      name: this.config.name,
      uid: this.config.uid,
      is_default: this.config.isDefault,
      json_data_encoded: JSON.stringify(this.config.jsonData),
    };
  }

  get uid(): string {
    return this.getStringAttribute('uid');
  }
}

export interface GrafanaDashboardConfig extends TerraformMetaArguments {
  // The dashboard model as Grafana exports it.
  readonly configJson: string;
  readonly overwrite?: boolean;
}

export class GrafanaDashboardResource extends GrafanaResource {
  static readonly tfResourceType = 'grafana_dashboard';

  constructor(scope: Construct, id: string, private readonly config: GrafanaDashboardConfig) {
    super(scope, id, GrafanaDashboardResource.tfResourceType, { provider: config.provider, dependsOn: config.dependsOn });
  }

  protected attributes(): Attributes {
    return { config_json: this.config.configJson, overwrite: this.config.overwrite ?? true };
  }
}

import { z } from 'zod';

/** Gateway API releases the adapter can target. */
export const GATEWAY_API_VERSIONS = ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6'] as const;
/** A Gateway API release, such as `v1.6`. */
export type GatewayApiVersion = (typeof GATEWAY_API_VERSIONS)[number];

/** Gateway API release channels. */
export const GATEWAY_API_CHANNELS = ['standard', 'experimental'] as const;
/** A Gateway API release channel. */
export type GatewayApiChannel = (typeof GATEWAY_API_CHANNELS)[number];

// `--set gateway-api.version=1.6` reads the value as the YAML number 1.6.
const versionInput = (value: unknown): unknown =>
  (typeof value === 'number' || typeof value === 'string') && /^\d/.test(String(value))
    ? `v${String(value)}`
    : value;

/** Options of the gateway-api adapter (`--set gateway-api.KEY=VALUE`). */
export const GatewayApiOptionsSchema = z.strictObject({
  /** The Gateway API release whose CRDs are installed (default `v1.6`). */
  version: z.preprocess(versionInput, z.enum(GATEWAY_API_VERSIONS)).default('v1.6'),
  /** The release channel whose CRDs are installed (default `standard`). */
  channel: z.enum(GATEWAY_API_CHANNELS).default('standard'),
  /**
   * Write a GRPCRoute for Service ports that say gRPC (`appProtocol: grpc` or a `grpc-` name)
   * when every split match is a gRPC method match (default true); otherwise an HTTPRoute.
   */
  grpcRoutes: z.boolean().default(true),
});

/** Parsed options of the gateway-api adapter. */
export type GatewayApiOptions = z.infer<typeof GatewayApiOptionsSchema>;

/** The API versions a Gateway API release and channel serve for the kinds this adapter writes. */
export interface ServedKinds {
  readonly HTTPRoute: 'v1';
  readonly GRPCRoute: 'v1';
  /** Absent when the channel serves no TCPRoute. */
  readonly TCPRoute?: 'v1' | 'v1alpha2';
  /** Whether route rules have the `name` field (GEP-995). */
  readonly ruleNames: boolean;
}

/**
 * What the installed CRDs serve. v1.6 is read from its CRDs: HTTPRoute, GRPCRoute and TCPRoute
 * `v1` in both channels (TCPRoute `v1alpha2` is not served in standard). Before v1.6 TCPRoute
 * exists only as `v1alpha2` in the experimental channel; GRPCRoute is `v1` from v1.1. Rule names
 * are only written from v1.6, the first release whose CRDs we can check.
 */
export function servedKinds(options: GatewayApiOptions): ServedKinds {
  const v16 = options.version === 'v1.6';
  const tcp = v16 ? 'v1' : options.channel === 'experimental' ? 'v1alpha2' : undefined;
  return {
    HTTPRoute: 'v1',
    GRPCRoute: 'v1',
    ...(tcp !== undefined && { TCPRoute: tcp }),
    ruleNames: v16,
  };
}

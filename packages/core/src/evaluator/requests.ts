/** A ServiceAccount identity. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** An HTTP request as evaluators see it. */
export interface HttpRequestInfo {
  readonly method: string;
  /** The path only, without the query string. */
  readonly path: string;
  /** Header names in any case; one value per name. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One connection or request to decide on: who calls (the source identity), which pods receive it
 * (the destination identity and, for meshes that select pods by labels, its workload), on which
 * container port, and, for HTTP, the request.
 */
export interface AccessRequest {
  readonly source: ServiceAccountRef;
  readonly destination: ServiceAccountRef & {
    /** Labels of the receiving pod, for meshes that select workloads by labels. */
    readonly podLabels?: Readonly<Record<string, string>>;
    /** Service the client addressed, when it went through one. */
    readonly service?: string;
  };
  /** `http` for HTTP requests, `tcp` for other TCP traffic, `udp` for UDP. */
  readonly protocol: 'http' | 'tcp' | 'udp';
  /** The container (target) port on the destination pod. */
  readonly port: number;
  readonly http?: HttpRequestInfo;
}

/** The answer to an {@link AccessRequest}. */
export interface AccessDecision {
  readonly allowed: boolean;
  /** Names (`namespace/name`) of the policies that allowed it, when the evaluator can tell. */
  readonly allowedBy?: readonly string[];
}

/** A request sent to a Service, for routing decisions. */
export interface RouteRequest {
  readonly namespace: string;
  /** The Service the client addressed (the TrafficSplit root). */
  readonly service: string;
  /** The Service port; absent means any/the only port. */
  readonly port?: number;
  readonly protocol: 'http' | 'tcp';
  readonly http?: HttpRequestInfo;
}

/** Where the traffic of a {@link RouteRequest} goes: Services with relative integer weights. */
export interface RouteDecision {
  readonly backends: readonly { readonly service: string; readonly weight: number }[];
  /** Name of the split or route that decided, when one did. */
  readonly decidedBy?: string;
}

/** Each backend's share of the traffic, as a fraction of the total weight (0 when the total is 0). */
export function shares(decision: RouteDecision): Map<string, number> {
  const total = decision.backends.reduce((sum, b) => sum + b.weight, 0);
  const out = new Map<string, number>();
  for (const b of decision.backends)
    out.set(b.service, (out.get(b.service) ?? 0) + (total === 0 ? 0 : b.weight / total));
  return out;
}

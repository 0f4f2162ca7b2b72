// The seams between the hot path and observability. Only types live here, so the REST client,
// the request scope and the providers depend on no metrics or tracing library.

/** Per-gateway metrics of upstream calls, handed to every source's REST client. */
export interface UpstreamTelemetry {
  /**
   * One attempt that went to the transport (a retry is another attempt), with its HTTP status
   * (undefined when no answer came) and billgraph's code for the outcome ("OK" for an answer
   * under 400), in seconds.
   */
  upstreamAttempt(source: string, operation: string, status: number | undefined, code: string, seconds: number): void;
  /**
   * A call the resilience policy refused without sending it: UPSTREAM_UNAVAILABLE for an open
   * breaker or a full queue, UPSTREAM_TIMEOUT for a deadline that passed before or while queued.
   */
  upstreamRefused(source: string, operation: string, code: string): void;
}

/** The trace of one GraphQL request, as the upstream calls it makes see it. */
export interface RequestTrace {
  /**
   * Starts the span of one upstream attempt, child of the request's span, and writes its W3C
   * `traceparent` (and `tracestate`) into `headers`, which are about to be sent.
   */
  startUpstream(source: string, operation: string, method: string, headers: Record<string, string>): UpstreamSpan;
}

export interface UpstreamSpan {
  end(status: number | undefined, code: string): void;
}

/** What the gateway's access line knows once a GraphQL request is over. */
export interface GraphQLOutcome {
  /** Bounded operation name, or "anonymous". */
  readonly operation: string;
  /** "query" | "mutation" | "subscription", once the operation was resolved. */
  readonly operationType: string | undefined;
  /** 499 when the client closed the request before it was answered. */
  readonly status: number;
  readonly errorCodes: readonly string[];
  /** The authenticated tenant's name: operation names are budgeted per tenant in the metrics. */
  readonly tenant?: string;
}

export interface GraphQLTrace extends RequestTrace {
  /** 32 hex digits, for the access line: it links a log line to its trace. */
  readonly traceId: string;
  end(outcome: GraphQLOutcome): void;
}

/** Tracing of one gateway; absent when tracing is off. */
export interface GatewayTracing {
  /** The span of one GraphQL request, continuing the client's `traceparent` when it sent one. */
  startRequest(headers: Readonly<Record<string, string | string[] | undefined>>, requestId: string): GraphQLTrace;
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
}

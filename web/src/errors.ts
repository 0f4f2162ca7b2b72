import { CombinedGraphQLErrors, type ErrorLike } from '@apollo/client';

/** A SourceError as the dashboard's operations select it (SourceErrorFields), the cause fields optional. */
export interface SourceErrorLike {
  readonly source: { readonly id: string; readonly name: string; readonly provider: string };
  readonly code: string;
  readonly message: string;
  readonly retryable?: boolean;
  readonly upstreamStatus?: number | null;
  readonly causeCode?: string | null;
  readonly retryAt?: string | null;
}

/** What went wrong with one source, gathered from every place billgraph reports it. */
export interface SourceProblem {
  readonly sourceId: string;
  readonly sourceName: string;
  readonly provider: string | null;
  /** Distinct error codes, e.g. UPSTREAM_UNAVAILABLE. */
  readonly codes: string[];
  /** Distinct messages, as billgraph wrote them. */
  readonly messages: string[];
  /** Where it showed: "account list", "cost per day", or the number of fields left empty. */
  readonly where: string[];
  /** The upstream's HTTP status behind the failure (e.g. 503), when it answered at all. */
  readonly upstreamStatus: number | null;
  /** For a call billgraph refused itself (open breaker, rate-limit pause): the upstream failure behind it. */
  readonly causeCode: string | null;
  /** When billgraph calls the source again (epoch ms): the breaker's probe or the end of a 429 pause. */
  readonly retryAt: number | null;
}

export interface Problems {
  /** Per failing source, in the order first seen. */
  readonly sources: SourceProblem[];
  /** Errors tied to no source (bad input, network, …). */
  readonly general: string[];
}

interface Builder {
  name: string;
  provider: string | null;
  codes: Set<string>;
  messages: Set<string>;
  where: Map<string, number>;
  upstreamStatus: number | null;
  causeCode: string | null;
  retryAt: number | null;
}

/** What an error says about its cause, from a SourceError's fields or a GraphQL error's extensions. */
interface CauseFields {
  readonly upstreamStatus?: unknown;
  readonly causeCode?: unknown;
  readonly retryAt?: unknown;
}

function noteCause(b: Builder, fields: CauseFields): void {
  if (typeof fields.upstreamStatus === 'number') b.upstreamStatus = fields.upstreamStatus;
  if (typeof fields.causeCode === 'string') b.causeCode = fields.causeCode;
  const at = typeof fields.retryAt === 'string' ? Date.parse(fields.retryAt) : NaN;
  if (Number.isFinite(at)) b.retryAt = Math.max(b.retryAt ?? 0, at);
}

/**
 * Merges SourceError lists (accounts.errors, usageReport.errors) and GraphQL errors carrying
 * extensions.source into one entry per source.
 */
export function collectProblems(input: {
  sourceErrors: { list: readonly SourceErrorLike[] | null | undefined; where: string }[];
  operationErrors: { error: ErrorLike | undefined; where: string }[];
  sourceNames: ReadonlyMap<string, { name: string; provider: string }>;
}): Problems {
  const bySource = new Map<string, Builder>();
  const general: string[] = [];
  const entry = (id: string): Builder => {
    let b = bySource.get(id);
    if (!b) {
      const known = input.sourceNames.get(id);
      b = {
        name: known?.name ?? id,
        provider: known?.provider ?? null,
        codes: new Set(),
        messages: new Set(),
        where: new Map(),
        upstreamStatus: null,
        causeCode: null,
        retryAt: null,
      };
      bySource.set(id, b);
    }
    return b;
  };
  for (const { list, where } of input.sourceErrors) {
    for (const e of list ?? []) {
      const b = entry(e.source.id);
      b.name = e.source.name;
      b.provider = e.source.provider;
      b.codes.add(e.code);
      b.messages.add(e.message);
      b.where.set(where, (b.where.get(where) ?? 0) + 1);
      noteCause(b, e as CauseFields);
    }
  }
  for (const { error, where } of input.operationErrors) {
    if (!error) continue;
    if (CombinedGraphQLErrors.is(error)) {
      for (const e of error.errors) {
        const source = e.extensions?.['source'];
        // A partial-answer error repeats an entry of the field's own errors list, read above; its
        // extensions may still say more about the cause (status, retry time).
        if (e.extensions?.['partial'] === true) {
          if (typeof source === 'string' && bySource.has(source)) noteCause(entry(source), e.extensions as CauseFields);
          continue;
        }
        if (typeof source === 'string') {
          const b = entry(source);
          const code = e.extensions?.['code'];
          if (typeof code === 'string') b.codes.add(code);
          b.messages.add(e.message);
          b.where.set(where, (b.where.get(where) ?? 0) + 1);
          noteCause(b, e.extensions as CauseFields);
        } else {
          general.push(`${where}: ${e.message}`);
        }
      }
    } else {
      general.push(`${where}: ${error.message}`);
    }
  }
  return {
    sources: [...bySource].map(([sourceId, b]) => ({
      sourceId,
      sourceName: b.name,
      provider: b.provider,
      codes: [...b.codes],
      messages: [...b.messages],
      where: [...b.where].map(([w, n]) => (n > 1 ? `${w} (${n} fields)` : w)),
      upstreamStatus: b.upstreamStatus,
      causeCode: b.causeCode,
      retryAt: b.retryAt,
    })),
    general: [...new Set(general)],
  };
}

import { CombinedGraphQLErrors, type ErrorLike } from '@apollo/client';
import type { SourceErrorFieldsFragment } from './gql/graphql';

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
}

/**
 * Merges SourceError lists (accounts.errors, usageReport.errors) and GraphQL errors carrying
 * extensions.source into one entry per source.
 */
export function collectProblems(input: {
  sourceErrors: { list: readonly SourceErrorFieldsFragment[] | null | undefined; where: string }[];
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
    }
  }
  for (const { error, where } of input.operationErrors) {
    if (!error) continue;
    if (CombinedGraphQLErrors.is(error)) {
      for (const e of error.errors) {
        // A partial-answer error repeats an entry of the field's own errors list, read above.
        if (e.extensions?.['partial'] === true) continue;
        const source = e.extensions?.['source'];
        if (typeof source === 'string') {
          const b = entry(source);
          const code = e.extensions?.['code'];
          if (typeof code === 'string') b.codes.add(code);
          b.messages.add(e.message);
          b.where.set(where, (b.where.get(where) ?? 0) + 1);
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
    })),
    general: [...new Set(general)],
  };
}

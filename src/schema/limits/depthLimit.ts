import { Kind, type ASTVisitor, type FieldNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { ErrorCode, GatewayError } from '../../errors.js';
import { perFragment } from './perFragment.js';

/**
 * Deepest introspection a client may send. graphql-js's own introspection query (what GraphiQL
 * and codegen send) is 15 fields deep; deeper `ofType` chains only serve to burn CPU.
 */
export const INTROSPECTION_MAX_DEPTH = 20;

const isIntrospectionRoot = (name: string): boolean => name === '__schema' || name === '__type';

/** Deepest root field of a selection, kept apart for introspection, which has its own cap. */
interface RootDepths {
  readonly data: number;
  readonly introspection: number;
}

/**
 * Rejects operations nested deeper than `maxDepth` fields (fragments followed; cycles are a
 * validation error of their own). Deep walks fan out into upstream calls, so the limit is a
 * cost guard, reported as QUERY_TOO_COMPLEX before anything executes. Introspection counts too,
 * under its own, larger cap.
 *
 * Each fragment's depth is measured once and reused wherever it is spread: a document of ten
 * fragments each spreading the previous one ten times is ten measurements, not 10^9.
 */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const document = context.getDocument();

    const depthOfSet = (set: SelectionSetNode): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        const depth =
          selection.kind === Kind.FIELD
            ? depthOfField(selection)
            : selection.kind === Kind.INLINE_FRAGMENT
              ? depthOfSet(selection.selectionSet)
              : depthOfFragment(selection.name.value);
        if (depth > deepest) deepest = depth;
      }
      return deepest;
    };
    const depthOfField = (field: FieldNode): number => {
      if (field.name.value === '__typename') return 0;
      return field.selectionSet ? 1 + depthOfSet(field.selectionSet) : 1;
    };
    const depthOfFragment = perFragment(document, (fragment) => depthOfSet(fragment.selectionSet), 0);

    const rootDepthsOfSet = (set: SelectionSetNode): RootDepths => {
      let data = 0;
      let introspection = 0;
      for (const selection of set.selections) {
        let found: RootDepths;
        if (selection.kind === Kind.FIELD) {
          const depth = depthOfField(selection);
          found = isIntrospectionRoot(selection.name.value)
            ? { data: 0, introspection: depth }
            : { data: depth, introspection: 0 };
        } else {
          found =
            selection.kind === Kind.INLINE_FRAGMENT
              ? rootDepthsOfSet(selection.selectionSet)
              : rootDepthsOfFragment(selection.name.value);
        }
        data = Math.max(data, found.data);
        introspection = Math.max(introspection, found.introspection);
      }
      return { data, introspection };
    };
    const rootDepthsOfFragment = perFragment<RootDepths>(
      document,
      (fragment) => rootDepthsOfSet(fragment.selectionSet),
      { data: 0, introspection: 0 },
    );

    return {
      OperationDefinition(node) {
        const depths = rootDepthsOfSet(node.selectionSet);
        const candidates = [
          { depth: depths.data, limit: maxDepth },
          { depth: depths.introspection, limit: Math.max(maxDepth, INTROSPECTION_MAX_DEPTH) },
        ].filter((c) => c.depth > c.limit);
        if (candidates.length === 0) return;
        const worst = candidates.reduce((a, b) => (b.depth - b.limit > a.depth - a.limit ? b : a));
        context.reportError(
          new GatewayError(
            `The operation is ${worst.depth} fields deep; the limit is ${worst.limit}. Split it into smaller queries.`,
            ErrorCode.QUERY_TOO_COMPLEX,
          ),
        );
      },
    };
  };
}

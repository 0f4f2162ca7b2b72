import { Kind, type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { ErrorCode, GatewayError } from '../errors.js';

/**
 * Deepest introspection a client may send. graphql-js's own introspection query (what GraphiQL
 * and codegen send) is 15 fields deep; deeper `ofType` chains only serve to burn CPU.
 */
export const INTROSPECTION_MAX_DEPTH = 20;

const isIntrospectionRoot = (name: string): boolean => name === '__schema' || name === '__type';

/**
 * Rejects operations nested deeper than `maxDepth` fields (fragments followed; cycles are a
 * validation error of their own). Deep walks fan out into upstream calls, so the limit is a
 * cost guard, reported as QUERY_TOO_COMPLEX before anything executes. Introspection counts too,
 * under its own, larger cap.
 */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    /** Fields of a selection set, with fragment spreads and inline fragments expanded. */
    const fieldsOf = (set: SelectionSetNode, seen: ReadonlySet<string>): { field: FieldNode; seen: ReadonlySet<string> }[] =>
      set.selections.flatMap((selection) => {
        if (selection.kind === Kind.FIELD) return [{ field: selection, seen }];
        if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, seen);
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) return [];
        return fieldsOf(fragment.selectionSet, new Set(seen).add(fragment.name.value));
      });

    const depthOf = (field: FieldNode, seen: ReadonlySet<string>): number => {
      if (field.name.value === '__typename') return 0;
      if (!field.selectionSet) return 1;
      return 1 + Math.max(0, ...fieldsOf(field.selectionSet, seen).map((f) => depthOf(f.field, f.seen)));
    };

    return {
      OperationDefinition(node) {
        let worst: { depth: number; limit: number } | null = null;
        for (const { field, seen } of fieldsOf(node.selectionSet, new Set())) {
          const limit = isIntrospectionRoot(field.name.value) ? Math.max(maxDepth, INTROSPECTION_MAX_DEPTH) : maxDepth;
          const depth = depthOf(field, seen);
          if (depth > limit && (!worst || depth - limit > worst.depth - worst.limit)) worst = { depth, limit };
        }
        if (worst) {
          context.reportError(
            new GatewayError(`The operation is ${worst.depth} fields deep; the limit is ${worst.limit}. Split it into smaller queries.`, ErrorCode.QUERY_TOO_COMPLEX),
          );
        }
      },
    };
  };
}

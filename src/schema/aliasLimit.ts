import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { ErrorCode, GatewayError } from '../errors.js';

/**
 * Rejects operations with more than `maxAliases` aliased fields, counting a fragment once per
 * use. Each alias can ask the same field with other arguments (another window), so aliases
 * multiply upstream calls the way depth does; reported as QUERY_TOO_COMPLEX before execution.
 */
export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    const aliasesIn = (set: SelectionSetNode, seen: ReadonlySet<string>): number => {
      let count = 0;
      for (const selection of set.selections) {
        if (count > maxAliases) break;
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) count++;
          if (selection.selectionSet) count += aliasesIn(selection.selectionSet, seen);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          count += aliasesIn(selection.selectionSet, seen);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (fragment && !seen.has(fragment.name.value)) count += aliasesIn(fragment.selectionSet, new Set(seen).add(fragment.name.value));
        }
      }
      return count;
    };

    return {
      OperationDefinition(node) {
        const count = aliasesIn(node.selectionSet, new Set());
        if (count > maxAliases) {
          context.reportError(
            new GatewayError(`The operation uses more than ${maxAliases} aliases; the limit is ${maxAliases}. Split it into smaller queries.`, ErrorCode.QUERY_TOO_COMPLEX),
          );
        }
      },
    };
  };
}

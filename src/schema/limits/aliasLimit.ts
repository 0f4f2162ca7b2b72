import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { ErrorCode, GatewayError } from '../../errors.js';

/**
 * Rejects operations with more than `maxAliases` aliased fields, counting a fragment once per
 * use. Each alias can ask the same field with other arguments (another window), so aliases
 * multiply upstream calls the way depth does; reported as QUERY_TOO_COMPLEX before execution.
 *
 * A fragment's aliases are counted once and multiplied by its uses, so the count stays linear in
 * the document even when it expands to billions of fields.
 */
export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    const counted = new Map<string, number>();
    const open = new Set<string>();

    const aliasesOfFragment = (name: string): number => {
      const known = counted.get(name);
      if (known !== undefined) return known;
      const fragment = fragments.get(name);
      // Cycles and unknown names are validation errors of their own.
      if (!fragment || open.has(name)) return 0;
      open.add(name);
      const count = aliasesIn(fragment.selectionSet);
      open.delete(name);
      counted.set(name, count);
      return count;
    };

    const aliasesIn = (set: SelectionSetNode): number => {
      let count = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) count++;
          if (selection.selectionSet) count += aliasesIn(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          count += aliasesIn(selection.selectionSet);
        } else {
          count += aliasesOfFragment(selection.name.value);
        }
      }
      return count;
    };

    return {
      OperationDefinition(node) {
        if (aliasesIn(node.selectionSet) > maxAliases) {
          context.reportError(
            new GatewayError(`The operation uses more than ${maxAliases} aliases; the limit is ${maxAliases}. Split it into smaller queries.`, ErrorCode.QUERY_TOO_COMPLEX),
          );
        }
      },
    };
  };
}

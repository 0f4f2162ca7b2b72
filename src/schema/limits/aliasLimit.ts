import { Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';
import { ErrorCode, GatewayError } from '../../errors.js';
import { perFragment } from './perFragment.js';

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
    const aliasesOfFragment = perFragment(context.getDocument(), (fragment) => aliasesIn(fragment.selectionSet), 0);

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
            new GatewayError(
              `The operation uses more than ${maxAliases} aliases; the limit is ${maxAliases}. Split it into smaller queries.`,
              ErrorCode.QUERY_TOO_COMPLEX,
            ),
          );
        }
      },
    };
  };
}

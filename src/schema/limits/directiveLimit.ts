import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ASTVisitor, ValidationContext } from 'graphql';
import { ErrorCode, GatewayError } from '../../errors.js';

/**
 * Rejects operations carrying more than `maxDirectives` directives. GraphQL Armor counts each
 * fragment once (memoised), so the count is linear in the document; its own rejection is a bare
 * GraphQLError thrown out of validate() (an HTTP 500 under Apollo), so it is told not to throw and
 * billgraph reports its own QUERY_TOO_COMPLEX instead.
 */
export function directiveLimitRule(maxDirectives: number) {
  return (context: ValidationContext): ASTVisitor =>
    maxDirectivesRule({
      n: maxDirectives,
      propagateOnRejection: false,
      onReject: [
        () =>
          context.reportError(
            new GatewayError(
              `The operation uses more than ${maxDirectives} directives; the limit is ${maxDirectives}. Remove repeated directives or split the query.`,
              ErrorCode.QUERY_TOO_COMPLEX,
            ),
          ),
      ],
    })(context) as unknown as ASTVisitor;
}

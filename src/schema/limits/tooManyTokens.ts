/** graphql-js's own message when parse(…, { maxTokens }) gives up (16.x spells it "more that"). */
const PARSER_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * graphql-js reports the token limit as a plain syntax error (GRAPHQL_PARSE_FAILED); billgraph
 * answers it as the limit it is, QUERY_TOO_COMPLEX, naming the setting. Null for any other error.
 */
export function tooManyTokens(parseMessage: string): { message: string; limit: number } | null {
  const match = PARSER_MESSAGE.exec(parseMessage);
  if (!match) return null;
  const limit = Number(match[1]);
  return {
    limit,
    message: `The document has more than ${limit} tokens; the limit is ${limit} (limits.maxTokens). Send a shorter query.`,
  };
}

import { parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import { createGatewaySchema } from '../../../../src/gatewaySchema.js';

const schema = createGatewaySchema();

/** [code, message] of every error the rule (with graphql-js's own rules) reports for the query. */
export const errorsOf = (query: string, rule: ValidationRule) =>
  validate(schema, parse(query), [...specifiedRules, rule]).map((e) => [e.extensions.code, e.message]);

/** Ten-fold fragment nesting on Account: F<levels> expands to 10^levels copies of F0. */
export const bomb = (levels: number, body: string) => {
  const fragments = [`fragment F0 on Account { ${body} }`];
  for (let i = 1; i <= levels; i++)
    fragments.push(`fragment F${i} on Account { ${Array.from({ length: 10 }, () => `...F${i - 1}`).join(' ')} }`);
  return `{ accounts { edges { node { ...F${levels} } } } }\n${fragments.join('\n')}`;
};

import { truncate } from '../lib/ids.js';

/**
 * What a well-formed upstream answer got wrong against what billgraph asked for, worded for
 * `RestClient.badResponse` ("answered "<operation>" with <this>"). The values are upstream ids
 * and dates, never URLs or credentials; upstream-controlled text is cut short.
 */
export function answeredOther(field: string, asked: string, got: string): string {
  return `a body for ${field} "${truncate(got, 40)}" where billgraph asked for "${truncate(asked, 40)}"`;
}

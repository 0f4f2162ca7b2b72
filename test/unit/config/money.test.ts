import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import { ConfigError } from '../../../src/config.js';
import { priceProblems } from '../../../src/config/money.js';

const G8 = { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:9001', credentials: { token: 'secret' } };
const KB = {
  id: 'kb',
  provider: 'KILLBILL',
  baseUrl: 'http://127.0.0.1:9002',
  credentials: { username: 'admin', password: 'password', apiKey: 'bob', apiSecret: 'lazar' },
  options: { createdBy: 'billgraph' },
};

function problemsOf(raw: unknown): string[] {
  try {
    validateConfig(raw, 'test', {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const eur = (amount: string, from: string) => ({ amount, currency: 'EUR', from });

describe('sources[].prices', () => {
  it('accepts the flat form and a dated list, each kept as written', () => {
    const config = validateConfig(
      {
        sources: [
          {
            ...G8,
            prices: {
              SU: { amount: '0.00004', currency: 'EUR' },
              CU: [eur('0.0125', '2026-01-01'), eur('0.0150', '2026-11-02T05:00:00Z')],
            },
          },
        ],
      },
      'test',
      {},
    );
    expect(config.sources[0]!.prices).toEqual({
      SU: { amount: '0.00004', currency: 'EUR' },
      CU: [eur('0.0125', '2026-01-01'), eur('0.0150', '2026-11-02T05:00:00Z')],
    });
    expect(config.currencies).toEqual({});
  });

  it('refuses an unsorted list, naming the source, metric and entry', () => {
    expect(
      problemsOf({ sources: [{ ...G8, prices: { CU: [eur('0.0150', '2026-11-02'), eur('0.0125', '2026-01-01')] } }] }),
    ).toEqual([
      'sources[0].prices.CU[1].from: source "g8" metric "CU" entry 1: "2026-01-01" is before entry 0 ("2026-11-02"); list a metric\'s prices oldest first',
    ]);
  });

  it('refuses a duplicate start, the same instant written two ways too', () => {
    expect(
      problemsOf({
        sources: [{ ...G8, prices: { CU: [eur('0.0125', '2026-11-02'), eur('0.0150', '2026-11-02T01:00:00+01:00')] } }],
      }),
    ).toEqual([
      'sources[0].prices.CU[1].from: source "g8" metric "CU" entry 1: "2026-11-02T01:00:00+01:00" starts at the same instant as entry 0 ("2026-11-02"); each price needs its own start, so remove one of the two',
    ]);
  });

  it('refuses mixed currencies in one list and says why', () => {
    expect(
      problemsOf({
        sources: [
          {
            ...G8,
            prices: { CU: [eur('0.0125', '2026-01-01'), { amount: '0.02', currency: 'USD', from: '2026-11-02' }] },
          },
        ],
      }),
    ).toEqual([
      'sources[0].prices.CU[1].currency: source "g8" metric "CU" entry 1: must be "EUR" like entry 0; one metric\'s prices share one currency, because a bucket spanning a change is priced as the sum of its pieces and amounts in two currencies cannot be summed (give the new currency its own list, or convert with "currencies")',
    ]);
  });

  it('refuses a change off the finest bucket boundary: UTC hours for OpenvCloud, UTC days for Kill Bill', () => {
    expect(
      problemsOf({
        sources: [
          { ...G8, prices: { CU: [eur('0.0125', '2026-01-01'), eur('0.0150', '2026-11-02T00:30:00Z')] } },
          { ...KB, prices: { 'api-calls': [eur('1', '2026-01-01'), eur('2', '2026-11-02T05:00:00Z')] } },
        ],
      }),
    ).toEqual([
      'sources[0].prices.CU[1].from: source "g8" metric "CU" entry 1: the price change at "2026-11-02T00:30:00Z" must fall on a bucket boundary of OpenvCloud\'s finest buckets (UTC hours), such as "2026-11-02T00:00:00Z"',
      'sources[1].prices.api-calls[1].from: source "kb" metric "api-calls" entry 1: the price change at "2026-11-02T05:00:00Z" must fall on a bucket boundary of Kill Bill\'s finest buckets (UTC days), such as "2026-11-02T00:00:00Z"',
    ]);
  });

  it('refuses a `from` that is not a date or an RFC 3339 instant, and an empty list', () => {
    expect(problemsOf({ sources: [{ ...G8, prices: { CU: [eur('0.0125', '2026-02-30')], SU: [] } }] })).toEqual([
      'sources[0].prices.CU[0].from: must be a date such as "2026-11-02" (UTC midnight) or an RFC 3339 instant such as "2026-11-02T00:00:00Z"',
      'sources[0].prices.SU: must list at least one price',
    ]);
  });

  it('priceProblems skips the boundary check when the provider is unknown', () => {
    expect(priceProblems('x', 'X', undefined, { CU: [eur('1', '2026-01-01T00:30:00Z')] })).toEqual([]);
  });
});

describe('currencies', () => {
  it('accepts virtual currencies with dated rates and billing currencies with rates', () => {
    const config = validateConfig(
      {
        sources: [G8],
        currencies: {
          BUZZ: { virtual: true, rates: [{ rate: '0.001', to: 'USD', from: '2026-01-01' }] },
          EUR: { rates: [{ rate: '1.08', to: 'USD', from: '2026-01-01' }] },
        },
      },
      'test',
      {},
    );
    expect(config.currencies.EUR).toEqual({ rates: [{ rate: '1.08', to: 'USD', from: '2026-01-01' }] });
  });

  it('refuses an ISO 4217 code marked virtual, a non-ISO code marked billing, self-rates and unsorted rates', () => {
    expect(
      problemsOf({
        sources: [G8],
        currencies: {
          EUR: { virtual: true },
          BUZZ: {
            virtual: false,
            rates: [
              { rate: '0.002', to: 'USD', from: '2026-06-01' },
              { rate: '0.001', to: 'USD', from: '2026-01-01' },
              { rate: '1', to: 'BUZZ', from: '2026-01-01' },
            ],
          },
          eur: {},
        },
      }),
    ).toEqual([
      'currencies.EUR.virtual: "EUR" is an ISO 4217 code, a billing currency, so it cannot be virtual; give the virtual currency a code outside ISO 4217 (such as "BUZZ") or remove "virtual"',
      'currencies.BUZZ.virtual: "BUZZ" is not an ISO 4217 code, so it can only be virtual (billing currencies are ISO 4217 codes such as "EUR"); remove "virtual": false',
      'currencies.BUZZ.rates[1].from: "2026-01-01" is not after the previous rate into "USD"; list each target\'s rates oldest first, each "from" once',
      'currencies.BUZZ.rates[2].to: converts "BUZZ" into itself; name another currency',
      'currencies.eur: must be keyed by a currency code such as "EUR"',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { pageDto, thresholdDto, usageDto } from '../../../../src/providers/hyperstack/dto.js';

describe("Hyperstack's answer shapes", () => {
  it('keeps numbers as the literals the lossless parser gives, and integers as strings', () => {
    const page = pageDto.parse({
      org_id: 7,
      total_count: '2',
      billing_history: [{ attributes: { id: 12, resource_name: 'vm' }, metrics: { incurred_bill: '0.10' } }],
    });
    expect(page.org_id).toBe('7');
    expect(page.total_count).toBe('2');
    expect(page.billing_history![0]!.attributes.id).toBe('12');
    expect(page.billing_history![0]!.metrics.incurred_bill).toBe('0.10');
  });

  it('refuses a money figure that arrives as a float rather than its literal', () => {
    expect(pageDto.safeParse({ billing_history: [{ metrics: { incurred_bill: 0.1 } }] }).success).toBe(false);
  });

  it('fills absent attributes and metrics with empty objects', () => {
    const page = pageDto.parse({ billing_history: [{}] });
    expect(page.billing_history![0]).toEqual({ attributes: {}, metrics: {} });
  });

  it('refuses an integer field holding a fraction, and a threshold without its required fields', () => {
    expect(usageDto.safeParse({ resource_id: '1.5' }).success).toBe(false);
    expect(thresholdDto.safeParse({ id: 1, threshold: 10 }).success).toBe(false);
    expect(thresholdDto.parse({ id: 1, threshold: 10, subscribed: true })).toMatchObject({ id: '1', threshold: '10' });
  });
});

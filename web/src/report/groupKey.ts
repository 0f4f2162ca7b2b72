/** A report group's id and display label, from its key parts (usageReport groups). */
import { PROVIDER_LABELS } from '../providerLabels.js';

export interface KeyPart {
  readonly dimension: string;
  readonly value: string;
  readonly label?: string | null;
}

export const UNALLOCATED = '__unallocated__';

export function groupId(key: readonly KeyPart[]): string {
  return key.map((k) => k.value).join('|') || 'all';
}

/** One part as a person reads it: the provider's name, the source's or account's label, the metric. */
export function partLabel(part: KeyPart): string {
  if (part.value === UNALLOCATED) return 'Unallocated';
  if (part.dimension === 'PROVIDER') return PROVIDER_LABELS[part.value] ?? part.value;
  if (part.dimension === 'RESOURCE_TYPE') return part.value.toLowerCase().replace(/_/g, ' ');
  return part.label ?? part.value;
}

export function groupLabel(key: readonly KeyPart[]): string {
  return key.map(partLabel).join(' · ') || 'Everything';
}

export function partOf(key: readonly KeyPart[], dimension: string): KeyPart | undefined {
  return key.find((k) => k.dimension === dimension);
}

/** The dashboard's API key for a gateway with tenants: kept for this tab only (sessionStorage). */
const STORAGE_KEY = 'billgraph:apiKey';

export function storedApiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage disabled: the key is sent until reload only */
  }
}

/** True when the gateway answered 401: it has tenants and the key is missing or wrong. */
export function isUnauthenticated(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { statusCode?: unknown }).statusCode === 401) return true;
  const errors = (error as { errors?: { extensions?: { code?: unknown } }[] }).errors;
  return Array.isArray(errors) && errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

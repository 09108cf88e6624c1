// A thin client for the order service's HTTP API.

export interface CartItem {
  sku: string;
  quantity: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, `${method} ${path}: ${response.statusText}`);
  return (await response.json()) as T;
}

export function addToCart(item: CartItem): Promise<void> {
  return request('POST', '/cart/items', item);
}

export function saveDraft(items: CartItem[]): Promise<void> {
  return request('PUT', '/cart/draft', items);
}

export async function isSignedIn(): Promise<boolean> {
  const me = await request<{ user: string | null }>('GET', '/me');
  return me.user !== null;
}

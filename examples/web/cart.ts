// The cart page: add items, autosave a draft, check out.
import { addToCart, ApiError, isSignedIn, saveDraft, type CartItem } from './api';

const items: CartItem[] = [];

export async function addAll(picked: CartItem[]): Promise<void> {
  await Promise.all(picked.map((item) => addToCart(item)));
  items.push(...picked);
}

export function onQuantityChange(item: CartItem, quantity: number): void {
  item.quantity = quantity;
  saveDraft(items);
}

export async function importFromWishlist(wishlist: CartItem[]): Promise<void> {
  wishlist.forEach(async (item) => {
    await addToCart(item);
  });
  items.push(...wishlist);
}

export async function checkout(): Promise<string> {
  if (!(await isSignedIn())) return '/login';
  try {
    await saveDraft(items);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return '/cart?conflict';
    throw error;
  }
  return '/checkout';
}

export function startAutosave(intervalMs: number): () => void {
  const timer = setInterval(() => {
    void saveDraft(items);
  }, intervalMs);
  return () => clearInterval(timer);
}

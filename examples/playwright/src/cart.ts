export interface Item {
  sku: string;
  price: number;
  quantity: number;
}

export function subtotal(items: readonly Item[]): number {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

/** A percentage off, rounded to the cent. */
export function applyDiscount(amount: number, percent: number): number {
  if (percent < 0 || percent > 100) throw new RangeError(`Expected a percentage from 0 to 100, got ${percent}.`);
  return Math.round(amount * (100 - percent)) / 100;
}

/** @param {{ price: number, quantity: number }[]} items */
function subtotal(items) {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

/** A percentage off, rounded to the cent. */
function applyDiscount(amount, percent) {
  if (percent < 0 || percent > 100) throw new RangeError(`Expected a percentage from 0 to 100, got ${percent}.`);
  return Math.round(amount * (100 - percent)) / 100;
}

module.exports = { subtotal, applyDiscount };

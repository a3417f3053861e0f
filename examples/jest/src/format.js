/** Formats cents as dollars, e.g. 1234 → "$12.34". */
function formatPrice(cents) {
  return `$${(cents / 100).toFixed(2)}`;
}

module.exports = { formatPrice };

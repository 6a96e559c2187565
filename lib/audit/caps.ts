// What a client sends is stored only up to these lengths: a user agent of 8 kB in every audit
// row costs disk and buries real entries, and no real one is longer than a few hundred bytes.
export const MAX_USER_AGENT_CHARS = 512;
/** An IPv6 address with a zone fits easily. */
export const MAX_ADDRESS_CHARS = 64;
/** The longest origin we record (scheme, host, port). */
export const MAX_ORIGIN_CHARS = 300;

const cap = (max: number) => (value: string | null | undefined) => (value ? value.slice(0, max) : null);
export const capUserAgent = cap(MAX_USER_AGENT_CHARS);
export const capAddress = cap(MAX_ADDRESS_CHARS);
export const capOrigin = cap(MAX_ORIGIN_CHARS);

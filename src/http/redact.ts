/**
 * Paths whose last segment is a credential: a transaction's rating link, the rater's judgement link
 * (console pages and their API), so that a log line never carries one.
 */
const SECRET_PATHS = [
  /^(\/r\/)[^/?#]+/,
  /^(\/j\/)[^/?#]+/,
  /^(\/api\/public\/rate\/)[^/?#]+/,
  /^(\/api\/public\/judgements\/)[^/?#]+/,
];

/** Query parameters that may carry a secret, whatever the route. */
const SECRET_PARAMS = /^(token|access_token|key|secret|password|csrf|session|code_verifier|signature)$/i;

/** The URL with every token in its path and every secret query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  for (const pattern of SECRET_PATHS) path = path.replace(pattern, '$1[redacted]');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return eq !== -1 && SECRET_PARAMS.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

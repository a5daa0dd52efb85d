/** A shell word in single quotes: safe for any bytes but a single quote, which closes, is escaped and reopens. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `curl` re-sending a webhook request exactly: method, URL, every header and the body bytes unchanged. */
export function curlCommand(request: { method: string; url: string; headers: Record<string, string>; body: string }): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
  return ['curl', '-X', request.method, quote(request.url), ...headers, '--data-binary', quote(request.body)].join(' ');
}

/** Who asked, for the audit log: the caller (the dashboard) may name the operator it acts for. */
export function actorOf(headers: Record<string, string | string[] | undefined>): string {
  const named = headers['x-actor'];
  return typeof named === 'string' && /^[A-Za-z0-9._@:-]{1,64}$/.test(named) ? named : 'api';
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

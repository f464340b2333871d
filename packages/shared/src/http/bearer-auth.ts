import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, Unauthorized } from '../errors';

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Returns a check that throws Unauthorized unless the Authorization header carries `token`.
 * Both sides are hashed first so the comparison takes the same time whatever the length.
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => void {
  if (token.length === 0) throw new ConfigError('CATALYST_API_TOKEN: must not be empty');
  const expected = sha256(token);
  return (authorization) => {
    if (authorization === undefined || authorization.trim() === '') throw new Unauthorized();
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match?.[1] || !timingSafeEqual(sha256(match[1]), expected)) {
      throw new Unauthorized('The bearer token is not valid');
    }
  };
}

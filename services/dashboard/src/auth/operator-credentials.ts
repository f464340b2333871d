import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: 16_384, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export interface OperatorCredentials {
  user: string;
  /** True when both match; takes the same work whether the user name, the password or neither is wrong. */
  verify(user: string, password: string): Promise<boolean>;
}

/**
 * The operator's login, hashed once at boot so the plain password is not kept in memory longer
 * than the config object; every attempt runs scrypt, so a wrong user name costs as much as a
 * wrong password and the timing tells nothing.
 */
export async function hashOperatorCredentials(user: string, password: string): Promise<OperatorCredentials> {
  const salt = randomBytes(16);
  const expectedKey = await derive(password, salt);
  const expectedUser = sha256(user);
  return {
    user,
    async verify(candidateUser, candidatePassword) {
      const key = await derive(candidatePassword, salt);
      const userOk = timingSafeEqual(sha256(candidateUser), expectedUser);
      const passwordOk = timingSafeEqual(key, expectedKey);
      return userOk && passwordOk;
    },
  };
}

import { randomBytes, timingSafeEqual } from "node:crypto";

/*
 * Device tokens: a browser that signed in to an address before says so with a cookie, and is
 * counted on its own by the sign-in lock (`signIn`), so that wrong passwords from many clients
 * cannot keep a person out of the browser they always use. The cookie holds up to four tokens
 * (a computer several people share), `~` between them; each is `nonce.mac`, the mac a keyed hash
 * of the address and the nonce that only this server can make. It names no address.
 */

/** How many people's device tokens one browser keeps. */
const DEVICES_KEPT = 4;
const TOKEN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{20,64}$/;

type Mac = (email: string, nonce: string) => string;

/** The nonce of the browser's token for `email` (a normalised address), if it holds one the server made. */
export function trustedDevice(mac: Mac, email: string, devices: string | undefined): string | null {
  for (const token of (devices ?? "").split("~").slice(0, DEVICES_KEPT)) {
    if (!TOKEN.test(token)) continue;
    const [nonce, sent] = token.split(".");
    const expected = Buffer.from(mac(email, nonce));
    const given = Buffer.from(sent);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return nonce;
  }
  return null;
}

/** The browser's tokens after a sign-in to `email`: a new one for it first, the others kept (the one it replaces not). */
export function devicesAfterSignIn(mac: Mac, email: string, devices: string | undefined, replaced: string | null): string {
  const nonce = randomBytes(16).toString("base64url");
  const others = (devices ?? "")
    .split("~")
    .filter((t) => TOKEN.test(t) && t.split(".")[0] !== replaced)
    .slice(0, DEVICES_KEPT - 1);
  return [`${nonce}.${mac(email, nonce)}`, ...others].join("~");
}

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createKeyring, isSealed } from "./keyring.ts";

describe("keyring lookup hashes", () => {
  test("are stable per purpose, differ between purposes and between master keys", () => {
    const kr = createKeyring(randomBytes(32));
    assert.equal(kr.lookupHash("receipt", "ABCD"), kr.lookupHash("receipt", "ABCD"));
    assert.notEqual(kr.lookupHash("receipt", "ABCD"), kr.lookupHash("sign-in", "ABCD"));
    assert.notEqual(kr.lookupHash("receipt", "ABCD"), createKeyring(randomBytes(32)).lookupHash("receipt", "ABCD"));
  });

  test("sealed values are recognised by their prefix", () => {
    assert.equal(isSealed("k1.abc.def.ghi"), true);
    assert.equal(isSealed("plain text"), false);
  });
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { dialString, displayPhone, normalisePhone, telHref } from "./phone.ts";

const e164 = (input: string) => {
  const result = normalisePhone(input);
  return result.ok ? result.e164 : null;
};

test("German numbers are accepted as people write them and stored as E.164", () => {
  assert.equal(e164("06151 123456"), "+496151123456");
  assert.equal(e164("+49 6151 123456"), "+496151123456");
  assert.equal(e164("0049 6151 123456"), "+496151123456");
  assert.equal(e164("+49 (0) 6151 123456"), "+496151123456");
  assert.equal(e164("06151/123456-0"), "+4961511234560", "the switchboard's -0 is part of the number");
  assert.equal(e164("0800 1234567"), "+498001234567");
  assert.equal(e164("0151 23456789"), "+4915123456789");
});

test("numbers from abroad are accepted with their country code", () => {
  assert.equal(e164("0043 1 5121234"), "+4315121234");
  assert.equal(e164("+43 1 5121234"), "+4315121234");
  assert.equal(e164("+1 202 456 1111"), "+12024561111");
});

test("the emergency numbers and other short numbers are refused", () => {
  for (const input of ["110", "112", "115", "123", "0", ""]) assert.equal(e164(input), null, input);
});

test("the harmonised 116 helplines are accepted", () => {
  assert.equal(e164("116 006"), "+49116006");
  assert.equal(e164("116016"), "+49116016");
  assert.equal(e164("116 11"), null, "one digit short");
});

test("text that is no phone number is refused", () => {
  for (const input of ["abc", "Tel: 06151 123456", "06151 123456 ext. 12", "+49 6151 abc", "++49 6151 123456"]) assert.equal(e164(input), null, input);
});

test("German numbers are shown as dialled in Germany, others internationally", () => {
  assert.equal(displayPhone("+496151123456"), "06151 123456");
  assert.equal(displayPhone("+498001234567"), "0800 1234567");
  assert.equal(displayPhone("+4315121234"), "+43 1 5121234");
  assert.equal(displayPhone("+49116006"), "116 006");
});

test("a call link carries the number in E.164", () => {
  assert.equal(telHref("+496151123456"), "tel:+496151123456");
  assert.equal(telHref("+4315121234"), "tel:+4315121234");
  // A 116 helpline cannot be reached with the country code from every network.
  assert.equal(telHref("+49116006"), "tel:116006");
  assert.equal(dialString("110"), "110");
  assert.equal(dialString("+49 6151 12-34"), "+4961511234");
});

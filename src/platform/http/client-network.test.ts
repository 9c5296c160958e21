import assert from "node:assert/strict";
import { test } from "node:test";
import { clientNetwork } from "./client-network.ts";

test("limits, locks and budgets count an IPv6 client by its /64, the network one host is given; IPv4 by its address", () => {
  assert.equal(clientNetwork("203.0.113.7"), "203.0.113.7");
  assert.equal(clientNetwork("::ffff:203.0.113.7"), "203.0.113.7");
  const one = ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::6", "2001:0db8:0001:0002:abcd::1"].map(clientNetwork);
  assert.deepEqual(new Set(one), new Set(["2001:db8:1:2::/64"]), "one host's addresses are one client");
  assert.notEqual(clientNetwork("2001:db8:1:3::1"), clientNetwork("2001:db8:1:2::1"), "the next network is another");
});

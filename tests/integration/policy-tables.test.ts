import assert from "node:assert/strict";
import { test } from "node:test";
import { modules } from "../../src/modules/index.ts";
import { type Actor, type PolicyWorld, ROLES, type Role } from "../../src/platform/authz/policy.ts";

/*
 * Every rule set of every module, walked through role × relation × action and compared with the
 * table written down here. The table is the reviewed statement of who may do what; a new policy,
 * action or relation without its row fails, as does a rule that allows more or less than the table.
 *
 * The actor holds one role: national roles at the national level, the others in `own`.
 */

type Table = Record<string, Record<string, Role[]>>; // action → relation → roles allowed

const NONE: Role[] = [];
/** The people of a municipality who take part in trainings. */
const LEARNERS: Role[] = ["municipal_admin", "clearing_officer", "leader", "staff"];
/** Everyone: where the record itself says the actor registered or attended (only learners can). */
const ALL: Role[] = ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"];
const TABLES: Record<string, Table> = {
  tenant: {
    list: {
      "own municipality": ["national_admin"],
      "other municipality": ["national_admin"],
      "national level": ["national_admin"],
      "no municipality": ["national_admin"],
    },
    create: {
      "own municipality": ["national_admin"],
      "other municipality": ["national_admin"],
      "national level": ["national_admin"],
      "no municipality": ["national_admin"],
    },
    read: {
      "own municipality": ["national_admin", "municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"],
      "other municipality": ["national_admin"],
      "national level": ["national_admin", "advisory_board"],
      "no municipality": ["national_admin"],
    },
    update: {
      "own municipality": ["national_admin"],
      "other municipality": ["national_admin"],
      "national level": ["national_admin"],
      "no municipality": ["national_admin"],
    },
  },
  settings: {
    configure: { "own municipality": ["national_admin", "municipal_admin"], "other municipality": ["national_admin"], "national level": NONE },
  },
  siteTexts: { edit: { installation: ["national_admin"] } },
  people: {
    list: { "own municipality": ["national_admin", "municipal_admin"], "other municipality": ["national_admin"], "national level": ["national_admin"] },
    invite: { "own municipality": ["national_admin", "municipal_admin"], "other municipality": ["national_admin"], "national level": ["national_admin"] },
    changeRoles: { "own municipality": ["national_admin", "municipal_admin"], "other municipality": ["national_admin"], "national level": ["national_admin"] },
  },
  account: Object.fromEntries(
    ["resetSecondFactor", "disable", "enable"].map((action) => [
      action,
      {
        "someone else, only in the own municipality": ["national_admin", "municipal_admin"],
        "someone else, also in another municipality": ["national_admin"],
        themselves: NONE,
        "someone in another municipality": ["national_admin"],
      },
    ]),
  ),
  audit: { read: { "own municipality": ["municipal_admin", "clearing_officer"], "other municipality": NONE, "national level": ["national_admin"] } },
  outbox: { read: { "in development": ["national_admin"], "in production": NONE } },
  report: Object.fromEntries(
    ["list", "read", "reply", "enter"].map((action) => [
      action,
      { "own municipality": ["clearing_officer"], "other municipality": NONE, "national level": NONE },
    ]),
  ),
  allianceDirectory: {
    read: { "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff"], "other municipality": NONE, "national level": NONE },
    edit: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
  },
  alliancePartnerEntry: {
    read: {
      "own municipality, their own organisation": ["municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner"],
      "own municipality, another organisation": ["municipal_admin", "clearing_officer", "leader", "staff"],
      "other municipality, their own organisation": NONE,
    },
  },
  allianceCircle: {
    view: {
      "own municipality, member": ["municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner"],
      "own municipality, not a member": NONE,
      "other municipality, member": NONE,
    },
  },
  allianceWorkspace: {
    open: {
      "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner"],
      "other municipality": NONE,
      "national level": NONE,
    },
    manage: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
  },
  nationalDirectory: {
    read: { "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff"], "other municipality": NONE, "national level": ["national_admin"] },
    edit: { "own municipality": NONE, "other municipality": NONE, "national level": ["national_admin"] },
    adopt: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
  },
  practice: {
    read: {
      "own municipality, draft": ["municipal_admin", "clearing_officer", "leader", "staff"],
      "own municipality, in review": ["national_admin", "municipal_admin", "clearing_officer", "leader", "staff"],
      "own municipality, published": ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff"],
      "other municipality, draft": NONE,
      "other municipality, in review": ["national_admin"],
      "other municipality, published for the network": ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff"],
      "other municipality, published for the public": [...ROLES],
      "other municipality, published, adopted here": ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff"],
      "national level, draft": ["national_admin"],
    },
    edit: {
      "own municipality, draft": ["municipal_admin"],
      "own municipality, in review": NONE,
      "own municipality, published": NONE,
      "other municipality, draft": NONE,
      "other municipality, in review": NONE,
      "other municipality, published for the network": NONE,
      "other municipality, published for the public": NONE,
      "other municipality, published, adopted here": NONE,
      "national level, draft": ["national_admin"],
    },
    // The own municipality of the walk is a network (platform) municipality: it publishes for itself, not beyond.
    submit: {
      "own municipality, draft": NONE,
      "own municipality, in review": NONE,
      "own municipality, published": NONE,
      "other municipality, draft": NONE,
      "other municipality, in review": NONE,
      "other municipality, published for the network": NONE,
      "other municipality, published for the public": NONE,
      "other municipality, published, adopted here": NONE,
      "national level, draft": ["national_admin"],
    },
    review: {
      "own municipality, draft": NONE,
      "own municipality, in review": ["national_admin"],
      "own municipality, published": NONE,
      "other municipality, draft": NONE,
      "other municipality, in review": ["national_admin"],
      "other municipality, published for the network": NONE,
      "other municipality, published for the public": NONE,
      "other municipality, published, adopted here": NONE,
      "national level, draft": NONE,
    },
    adopt: {
      "own municipality, draft": NONE,
      "own municipality, in review": NONE,
      "own municipality, published": NONE,
      "other municipality, draft": NONE,
      "other municipality, in review": NONE,
      "other municipality, published for the network": ["municipal_admin"],
      "other municipality, published for the public": ["municipal_admin"],
      "other municipality, published, adopted here": NONE,
      "national level, draft": NONE,
    },
    feedback: {
      "own municipality, draft": NONE,
      "own municipality, in review": NONE,
      "own municipality, published": NONE,
      "other municipality, draft": NONE,
      "other municipality, in review": NONE,
      "other municipality, published for the network": NONE,
      "other municipality, published for the public": NONE,
      "other municipality, published, adopted here": ["municipal_admin"],
      "national level, draft": NONE,
    },
  },
  library: {
    open: { "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff"], "other municipality": NONE, "national level": ["national_admin"] },
    write: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": ["national_admin"] },
    reviewQueue: { "own municipality": NONE, "other municipality": NONE, "national level": ["national_admin"] },
  },
  assessment: {
    read: { "own municipality": ["municipal_admin", "leader"], "other municipality": NONE, "national level": NONE },
    take: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
    overview: { "own municipality": NONE, "other municipality": NONE, "national level": ["national_admin", "advisory_board"] },
  },
  strategy: {
    read: { "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff"], "other municipality": NONE, "national level": NONE },
    write: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
  },
  poll: {
    manage: { "own municipality": ["municipal_admin", "leader"], "other municipality": NONE, "national level": NONE },
  },
  survey: {
    manage: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
    results: { "own municipality": ["municipal_admin", "leader"], "other municipality": NONE, "national level": NONE },
  },
  emergencyCard: {
    view: {
      "own municipality, public card": [...ROLES],
      "own municipality, staff-only card": ["national_admin", "municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner"],
      "other municipality, public card": [...ROLES],
      "other municipality, staff-only card": ["national_admin"],
    },
  },
  inbox: { list: { "own municipality": ["clearing_officer"], "other municipality": NONE, "national level": NONE } },
  leaderShare: {
    read: {
      "shared with them, consent running": ["leader"],
      "shared with them, consent ended": NONE,
      "shared with them, revoked": NONE,
      "shared with them, awaiting consent": NONE,
      "shared with another leader": NONE,
      "other municipality, shared with them": NONE,
    },
  },
  procedure: {
    view: { "own municipality": ["municipal_admin", "clearing_officer"], "other municipality": NONE, "national level": NONE },
    configure: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
  },
  retention: {
    view: { "own municipality": ["municipal_admin", "clearing_officer"], "other municipality": NONE, "national level": NONE },
    configure: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
  },
  case: {
    read: {
      "own municipality, unassigned": ["clearing_officer"],
      "own municipality, assigned to them": ["clearing_officer"],
      "own municipality, assigned to a colleague": ["clearing_officer"],
      "own municipality, assigned to someone who left": ["clearing_officer"],
      "own municipality, closed, assigned to them": ["clearing_officer"],
      "other municipality, assigned to them": NONE,
    },
    assign: {
      "own municipality, unassigned": ["clearing_officer"],
      "own municipality, assigned to them": ["clearing_officer"],
      "own municipality, assigned to a colleague": NONE,
      "own municipality, assigned to someone who left": ["clearing_officer"],
      "own municipality, closed, assigned to them": ["clearing_officer"],
      "other municipality, assigned to them": NONE,
    },
    work: {
      "own municipality, unassigned": ["clearing_officer"],
      "own municipality, assigned to them": ["clearing_officer"],
      "own municipality, assigned to a colleague": NONE,
      "own municipality, assigned to someone who left": ["clearing_officer"],
      "own municipality, closed, assigned to them": NONE,
      "other municipality, assigned to them": NONE,
    },
  },
  // A referred case: only the people acting for the organisation, while it stands and the consent runs.
  referral: Object.fromEntries(
    ["read", "respond"].map((action) => [
      action,
      {
        "their organisation, consent running": ["alliance_partner"],
        "their organisation, consent ended": NONE,
        "their organisation, revoked": NONE,
        "their organisation, awaiting consent": NONE,
        "another organisation": NONE,
        "other municipality, their organisation": NONE,
      },
    ]),
  ),
  // Trainings: a municipality's people and its trainers open them; the keepers (its admins, the national level's) keep the catalog.
  // A municipality's own figures: its admins, officers and leaders; the national figures: the national team and the advisory board.
  lagebild: {
    view: {
      "own municipality": ["municipal_admin", "clearing_officer", "leader"],
      "other municipality": NONE,
      "national level": ["national_admin", "advisory_board"],
    },
  },
  // The advisory board's workspace lives at the national level: the board and the team read, the team keeps it.
  board: {
    read: { "own municipality": NONE, "other municipality": NONE, "national level": ["national_admin", "advisory_board"] },
    manage: { "own municipality": NONE, "other municipality": NONE, "national level": ["national_admin"] },
  },
  trainings: {
    open: {
      "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff", "trainer"],
      "other municipality": NONE,
      "national level": ["national_admin"],
    },
    keep: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": ["national_admin"] },
  },
  // The national level's formats are offered to every municipality's people; a municipality's to its own.
  training_format: {
    read: {
      "own municipality": ["municipal_admin", "clearing_officer", "leader", "staff", "trainer"],
      "other municipality": NONE,
      "national level": ["national_admin", "municipal_admin", "clearing_officer", "leader", "staff"],
    },
    write: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": ["national_admin"] },
  },
  training_session: {
    read: {
      "own municipality, open": LEARNERS,
      "own municipality, run by the actor": [...LEARNERS, "trainer"],
      "own municipality, registered": ALL,
      "own municipality, ended, attended": ALL,
      "own municipality, ended long ago, attended": ALL,
      "own municipality, ended, run by the actor": [...LEARNERS, "trainer"],
      "own municipality, cancelled": LEARNERS,
      "other municipality, open": NONE,
      "national level, open": ["national_admin", ...LEARNERS],
      "national level, waiting": ALL,
    },
    register: {
      "own municipality, open": LEARNERS,
      "own municipality, run by the actor": LEARNERS,
      "own municipality, registered": NONE,
      "own municipality, ended, attended": NONE,
      "own municipality, ended long ago, attended": NONE,
      "own municipality, ended, run by the actor": NONE,
      "own municipality, cancelled": NONE,
      "other municipality, open": NONE,
      "national level, open": LEARNERS,
      "national level, waiting": NONE,
    },
    withdraw: {
      "own municipality, open": NONE,
      "own municipality, run by the actor": NONE,
      "own municipality, registered": ALL,
      "own municipality, ended, attended": NONE,
      "own municipality, ended long ago, attended": NONE,
      "own municipality, ended, run by the actor": NONE,
      "own municipality, cancelled": NONE,
      "other municipality, open": NONE,
      "national level, open": NONE,
      "national level, waiting": ALL,
    },
    manage: {
      "own municipality, open": ["municipal_admin"],
      "own municipality, run by the actor": ["municipal_admin"],
      "own municipality, registered": ["municipal_admin"],
      "own municipality, ended, attended": NONE,
      "own municipality, ended long ago, attended": NONE,
      "own municipality, ended, run by the actor": NONE,
      "own municipality, cancelled": NONE,
      "other municipality, open": NONE,
      "national level, open": ["national_admin"],
      "national level, waiting": ["national_admin"],
    },
    ...Object.fromEntries(
      ["roster", "results"].map((action) => [
        action,
        {
          "own municipality, open": ["municipal_admin"],
          "own municipality, run by the actor": ["municipal_admin", "trainer"],
          "own municipality, registered": ["municipal_admin"],
          "own municipality, ended, attended": ["municipal_admin"],
          "own municipality, ended long ago, attended": ["municipal_admin"],
          "own municipality, ended, run by the actor": ["municipal_admin", "trainer"],
          "own municipality, cancelled": ["municipal_admin"],
          "other municipality, open": NONE,
          "national level, open": ["national_admin"],
          "national level, waiting": ["national_admin"],
        },
      ]),
    ),
    ...Object.fromEntries(
      ["feedback", "certificate"].map((action) => [
        action,
        {
          "own municipality, open": NONE,
          "own municipality, run by the actor": NONE,
          "own municipality, registered": NONE,
          "own municipality, ended, attended": ALL,
          // Feedback closes two weeks after the session; the certificate stays.
          "own municipality, ended long ago, attended": action === "certificate" ? ALL : NONE,
          "own municipality, ended, run by the actor": NONE,
          "own municipality, cancelled": NONE,
          "other municipality, open": NONE,
          "national level, open": NONE,
          "national level, waiting": NONE,
        },
      ]),
    ),
  },
  // Coaching is confidential: the person asking and the coach who took it, nobody else.
  training_coaching: {
    read: {
      "asked by the actor, open": ALL,
      "asked by the actor, taken": ALL,
      "asked by the actor, done": ALL,
      "own municipality, open, asked by someone else": NONE,
      "own municipality, taken by the actor": ["trainer"],
      "own municipality, taken by another coach": NONE,
      "own municipality, taken by the actor, then withdrawn": NONE,
      "other municipality, open": NONE,
    },
    take: {
      "asked by the actor, open": NONE,
      "asked by the actor, taken": NONE,
      "asked by the actor, done": NONE,
      "own municipality, open, asked by someone else": ["trainer"],
      "own municipality, taken by the actor": NONE,
      "own municipality, taken by another coach": NONE,
      "own municipality, taken by the actor, then withdrawn": NONE,
      "other municipality, open": NONE,
    },
    write: {
      "asked by the actor, open": NONE,
      "asked by the actor, taken": ALL,
      "asked by the actor, done": NONE,
      "own municipality, open, asked by someone else": NONE,
      "own municipality, taken by the actor": ["trainer"],
      "own municipality, taken by another coach": NONE,
      "own municipality, taken by the actor, then withdrawn": NONE,
      "other municipality, open": NONE,
    },
    finish: {
      "asked by the actor, open": NONE,
      "asked by the actor, taken": NONE,
      "asked by the actor, done": NONE,
      "own municipality, open, asked by someone else": NONE,
      "own municipality, taken by the actor": ["trainer"],
      "own municipality, taken by another coach": NONE,
      "own municipality, taken by the actor, then withdrawn": NONE,
      "other municipality, open": NONE,
    },
    withdraw: {
      "asked by the actor, open": ALL,
      "asked by the actor, taken": ALL,
      "asked by the actor, done": NONE,
      "own municipality, open, asked by someone else": NONE,
      "own municipality, taken by the actor": NONE,
      "own municipality, taken by another coach": NONE,
      "own municipality, taken by the actor, then withdrawn": NONE,
      "other municipality, open": NONE,
    },
  },
  training_coaching_ask: { ask: { "own municipality": ["municipal_admin", "leader"], "other municipality": NONE, "national level": NONE } },
  // Collegial case counselling: only the room's members; each role acts in its phase.
  training_counsel: {
    read: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": ALL,
      "member without a role, casting": ALL,
      "moderator, casting": ALL,
      "presenter, account": ALL,
      "moderator, account": ALL,
      "presenter, key question": ALL,
      "moderator, method": ALL,
      "consultant, consultation": ALL,
      "note-taker, consultation": ALL,
      "moderator, ended": ALL,
    },
    join: {
      "not a member, casting": LEARNERS,
      "not a member, under way": NONE,
      "host, casting": NONE,
      "member without a role, casting": NONE,
      "moderator, casting": NONE,
      "presenter, account": NONE,
      "moderator, account": NONE,
      "presenter, key question": NONE,
      "moderator, method": NONE,
      "consultant, consultation": NONE,
      "note-taker, consultation": NONE,
      "moderator, ended": NONE,
    },
    cast: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": ALL,
      "member without a role, casting": NONE,
      "moderator, casting": ALL,
      "presenter, account": NONE,
      "moderator, account": NONE,
      "presenter, key question": NONE,
      "moderator, method": NONE,
      "consultant, consultation": NONE,
      "note-taker, consultation": NONE,
      "moderator, ended": NONE,
    },
    advance: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": ALL,
      "member without a role, casting": NONE,
      "moderator, casting": ALL,
      "presenter, account": NONE,
      "moderator, account": ALL,
      "presenter, key question": NONE,
      "moderator, method": ALL,
      "consultant, consultation": NONE,
      "note-taker, consultation": NONE,
      "moderator, ended": NONE,
    },
    tell: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": NONE,
      "member without a role, casting": NONE,
      "moderator, casting": NONE,
      "presenter, account": ALL,
      "moderator, account": NONE,
      "presenter, key question": NONE,
      "moderator, method": NONE,
      "consultant, consultation": NONE,
      "note-taker, consultation": NONE,
      "moderator, ended": NONE,
    },
    ask: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": NONE,
      "member without a role, casting": NONE,
      "moderator, casting": NONE,
      "presenter, account": NONE,
      "moderator, account": NONE,
      "presenter, key question": ALL,
      "moderator, method": NONE,
      "consultant, consultation": NONE,
      "note-taker, consultation": NONE,
      "moderator, ended": NONE,
    },
    method: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": NONE,
      "member without a role, casting": NONE,
      "moderator, casting": NONE,
      "presenter, account": NONE,
      "moderator, account": NONE,
      "presenter, key question": NONE,
      "moderator, method": ALL,
      "consultant, consultation": NONE,
      "note-taker, consultation": NONE,
      "moderator, ended": NONE,
    },
    note: {
      "not a member, casting": NONE,
      "not a member, under way": NONE,
      "host, casting": NONE,
      "member without a role, casting": NONE,
      "moderator, casting": NONE,
      "presenter, account": NONE,
      "moderator, account": ALL,
      "presenter, key question": NONE,
      "moderator, method": ALL,
      "consultant, consultation": NONE,
      "note-taker, consultation": ALL,
      "moderator, ended": NONE,
    },
  },
  training_counsel_open: { open: { "own municipality": LEARNERS, "other municipality": NONE, "national level": NONE } },
  training_needs: {
    answer: { "own municipality": LEARNERS, "other municipality": NONE, "national level": NONE },
    manage: { "own municipality": ["municipal_admin"], "other municipality": NONE, "national level": NONE },
    results: { "own municipality": ["municipal_admin", "leader"], "other municipality": NONE, "national level": NONE },
  },
};
TABLES.account.remove = {
  "someone else, only in the own municipality": ["national_admin", "municipal_admin"],
  "someone else, also in another municipality": ["national_admin", "municipal_admin"],
  themselves: NONE,
  "someone in another municipality": ["national_admin"],
};

const world: PolicyWorld = {
  own: { id: "00000000-0000-4000-8000-000000000001", kind: "platform" },
  other: { id: "00000000-0000-4000-8000-000000000002", kind: "model" },
  national: { id: "00000000-0000-4000-8000-000000000003", kind: "national" },
  someoneElse: "00000000-0000-4000-8000-0000000000ff",
};
const NATIONAL_ONLY: Role[] = ["national_admin", "advisory_board"];

function actorWith(role: Role): Actor {
  return {
    userId: "00000000-0000-4000-8000-0000000000aa",
    memberships: [{ tenantId: NATIONAL_ONLY.includes(role) ? world.national.id : world.own.id, role }],
    nationalTenantId: world.national.id,
  };
}

const policies = modules.flatMap((m) => m.policies ?? []);

test("the policies of all modules are found", () => {
  assert.ok(policies.length >= 10, `${policies.length} policies`);
  assert.equal(new Set(policies.map((p) => p.name)).size, policies.length, "each policy has its own name");
});

/** What people who are not signed in may do: nothing, except where written here (action → relations). */
const SIGNED_OUT: Record<string, Record<string, string[]>> = {
  emergencyCard: { view: ["own municipality, public card", "other municipality, public card"] },
  practice: { read: ["other municipality, published for the public"] },
};

for (const policy of policies) {
  test(`policy ${policy.name}: role × relation × action is exactly its table`, () => {
    const table = TABLES[policy.name];
    assert.ok(table, `policy ${policy.name} has no table here: write down who may do what`);
    assert.deepEqual(Object.keys(table).sort(), [...policy.actions].sort(), `the table of ${policy.name} covers exactly its actions`);
    for (const action of policy.actions) {
      assert.deepEqual(Object.keys(table[action]).sort(), Object.keys(policy.relations).sort(), `${policy.name}.${action} covers exactly its relations`);
      for (const [relation, build] of Object.entries(policy.relations)) {
        const allowed = ROLES.filter((role) => {
          const actor = actorWith(role);
          return policy.can(actor, action, build(actor, world));
        });
        assert.deepEqual(
          allowed,
          [...table[action][relation]].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b)),
          `${policy.name}.${action} for ${relation}`,
        );
      }
      for (const [relation, build] of Object.entries(policy.relations)) {
        assert.equal(
          policy.can(null, action, build(actorWith("staff"), world)),
          (SIGNED_OUT[policy.name]?.[action] ?? []).includes(relation),
          `${policy.name}.${action} for ${relation}: signed out`,
        );
      }
    }
  });
}

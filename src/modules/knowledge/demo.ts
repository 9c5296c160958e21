import type { Actor } from "../../platform/authz/policy.ts";
import type { DemoContext } from "../../platform/module.ts";
import type { Platform } from "../../platform/platform.ts";
import { saveMeasure } from "./action-plan.ts";
import { adoptPractice, givePracticeFeedback } from "./adoption.ts";
import { ALL_QUESTIONS, type Answers, recordAssessment } from "./assessment.ts";
import { moderateComment, openRound, roundOf } from "./comment-round.ts";
import { addComment, roundByLink } from "./comment-round-participation.ts";
import { PRACTICE_CORPUS } from "./corpus.ts";
import { ownPractices, savePractice, submitPractice, type TenantRef } from "./library.ts";
import { castVote, closePoll, openPoll } from "./poll.ts";
import { reviewPractice } from "./review.ts";
import { DIMENSIONS } from "./schema.ts";
import { publishStrategy, saveStrategy } from "./strategy.ts";
import { closeSurvey, countAnswer, openSurvey, SURVEY_QUESTIONS } from "./survey.ts";

/*
 * The demo library: Musterstadt (a model municipality) and the national level have written the
 * corpus's practices; most are published after review, one waits for review, one came back with
 * the reviewer's note; Musterstadt has adopted two of the national level's and said how one worked.
 * Musterstadt took the self-assessment three times over two years; other model municipalities
 * each quarter of the last year, and enough network municipalities once for both medians to show.
 * Its staff answered an anonymous survey that has ended (results shown), and a second one is
 * running; the same for two live polls.
 */

/** The practices the national level writes (by index in the corpus); the rest are Musterstadt's. */
const NATIONAL = new Set([5, 7, 8, 16]);
const IN_REVIEW = 20;
const RETURNED = 19;

export async function seedDemoLibrary(platform: Platform, context: DemoContext): Promise<void> {
  const musterstadt = context.tenants.get("musterstadt");
  const admin = context.users.get("verwaltung@demo.example");
  const national = context.users.get("admin@demo.example");
  if (!musterstadt || !admin || !national) return;
  const nationalTenantId = platform.nationalTenant.id;
  const local: Actor = { userId: admin, memberships: [{ tenantId: musterstadt.id, role: "municipal_admin" }], nationalTenantId };
  const reviewer: Actor = { userId: national, memberships: [{ tenantId: nationalTenantId, role: "national_admin" }], nationalTenantId };
  const localTenant = { id: musterstadt.id, kind: musterstadt.kind };
  const nationalTenant = { id: nationalTenantId, kind: "national" as const };
  if ((await ownPractices(platform, local, localTenant)).length > 0) return;

  const nationalIds: string[] = [];
  for (const [i, input] of PRACTICE_CORPUS.entries()) {
    const [actor, tenant] = NATIONAL.has(i) ? [reviewer, nationalTenant] : [local, localTenant];
    const id = await savePractice(platform, actor, tenant, null, input);
    await submitPractice(platform, actor, tenant, id);
    if (i === IN_REVIEW) continue;
    if (i === RETURNED) {
      await reviewPractice(platform, reviewer, id, {
        approve: false,
        note: "Bitte ergänzen, wer die Beteiligung moderiert und wie mit gelöschten Kommentaren umgegangen wird.",
      });
      continue;
    }
    await reviewPractice(platform, reviewer, id, { approve: true });
    if (NATIONAL.has(i)) nationalIds.push(id);
  }
  // Musterstadt took two of the national level's practices into its own workspace.
  for (const id of nationalIds.slice(0, 2)) await adoptPractice(platform, local, localTenant, id);
  await givePracticeFeedback(platform, local, localTenant, nationalIds[0], {
    score: 4,
    text: "Der Ablauf passt; die Fristen für die Ersteinschätzung haben wir auf einen Werktag verkürzt.",
  });
  await seedDemoAssessments(platform, context);
  await seedDemoSurveys(platform, local, localTenant);
  await seedDemoStrategy(platform, local, localTenant);
  await seedDemoPolls(platform, local, localTenant);
}

/** A closed live poll from the last council meeting (with its result) and one that runs. */
async function seedDemoPolls(platform: Platform, admin: Actor, tenant: TenantRef) {
  const closed = await openPoll(platform, admin, tenant, {
    question: "Soll der Rat eine Erklärung gegen Anfeindungen von Mandatsträgern beschließen?",
    options: ["Ja", "Nein", "Enthaltung"],
  });
  for (const [position, votes] of [
    [0, 27],
    [1, 4],
    [2, 3],
  ] as const)
    for (let i = 0; i < votes; i++) await castVote(platform, tenant.id, closed, position);
  await closePoll(platform, admin, tenant, closed);
  const running = await openPoll(platform, admin, tenant, {
    question: "Wie sicher fühlen Sie sich bei Ihrer Arbeit im Rat?",
    options: ["Sehr sicher", "Eher sicher", "Eher unsicher", "Sehr unsicher"],
  });
  for (const position of [1, 2, 1, 0, 2]) await castVote(platform, tenant.id, running, position);
}

const DEMO_STRATEGY = {
  title: "Musterstadt steht zusammen – Strategiekonzept gegen Rassismus, Hass und Anfeindungen",
  sections: {
    situation:
      "Beschäftigte im Bürgerbüro, im Ordnungsamt und in der Ausländerbehörde berichten seit zwei Jahren häufiger von Beleidigungen am Schalter und in E-Mails. Mehrere Ratsmitglieder erhielten Drohschreiben.\n\nViele Vorfälle wurden bisher nicht gemeldet: Es fehlte ein sicherer Weg, und nicht alle wussten, an wen sie sich wenden können.",
    goals:
      "Jede und jeder Beschäftigte weiß, wohin sie oder er sich nach einer Anfeindung wendet.\n\nJede Meldung erhält binnen eines Werktags eine erste Rückmeldung.\n\nDie Verwaltungsspitze stellt sich sichtbar hinter angefeindete Beschäftigte.",
    fields:
      "Allianz mit Beratungsstellen und Polizei; Meldestelle und Clearingverfahren; Qualifizierung der Führungskräfte; Kommunikation nach innen und außen; Beteiligung der Betroffenen.",
    responsibilities:
      "Hauptamt: Koordination und Clearingstelle. Personalamt: Schulungen. Pressestelle: Stellungnahmen. Gleichstellungs- und Integrationsbeauftragte: Beteiligung.",
    resources: "Eine halbe Stelle für die Clearingstelle, 8.000 Euro jährlich für Schulungen.",
    participation: "Der Integrationsbeirat und zwei Migrantenorganisationen haben den Entwurf kommentiert; die Beschäftigten wurden anonym befragt.",
  },
};

/** Musterstadt's strategy concept in three versions (the second published for everyone) and its action plan. */
async function seedDemoStrategy(platform: Platform, admin: Actor, tenant: TenantRef) {
  const first = { ...DEMO_STRATEGY, sections: { ...DEMO_STRATEGY.sections, resources: "", participation: "" }, note: "Erster Entwurf der Arbeitsgruppe" };
  await saveStrategy(platform, admin, tenant, first, 0);
  await saveStrategy(platform, admin, tenant, { ...DEMO_STRATEGY, note: "Ressourcen und Beteiligung ergänzt" }, 1);
  await publishStrategy(platform, admin, tenant, 2, "public");
  const goals = `${DEMO_STRATEGY.sections.goals}\n\nEinmal im Jahr berichtet die Clearingstelle dem Rat.`;
  await saveStrategy(
    platform,
    admin,
    tenant,
    { ...DEMO_STRATEGY, sections: { ...DEMO_STRATEGY.sections, goals }, note: "Jahresbericht an den Rat aufgenommen" },
    2,
  );
  const today = platform.clock.now();
  const day = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  const plan = [
    {
      goal: "Sicher melden",
      title: "Meldestelle im Intranet verlinken",
      owner: "Hauptamt",
      dueOn: day(-60),
      status: "done",
      progress: "Link auf der Startseite des Intranets seit März.",
    },
    {
      goal: "Sicher melden",
      title: "Notfallkarte an alle Arbeitsplätze",
      owner: "Hauptamt",
      dueOn: day(-5),
      status: "in_progress",
      progress: "Bürgerbüro und Ordnungsamt haben sie.",
    },
    { goal: "Sicher melden", title: "Erste Rückmeldung binnen eines Werktags", owner: "Clearingstelle", dueOn: day(20), status: "in_progress", progress: "" },
    {
      goal: "Führungskräfte stärken",
      title: "Schulung diskriminierungssensible Führung",
      owner: "Personalamt",
      dueOn: day(5),
      status: "planned",
      progress: "",
    },
    { goal: "Führungskräfte stärken", title: "Leitfaden Fürsorgepflicht", owner: "Personalamt", dueOn: day(90), status: "planned", progress: "" },
    {
      goal: "Haltung zeigen",
      title: "Erklärung des Rates gegen Anfeindungen",
      owner: "Büro der Bürgermeisterin",
      dueOn: day(-120),
      status: "done",
      progress: "Vom Rat einstimmig beschlossen.",
    },
    {
      goal: "Haltung zeigen",
      title: "Kampagne an Bushaltestellen",
      owner: "Pressestelle",
      dueOn: day(-30),
      status: "dropped",
      progress: "Zugunsten der Social-Media-Kampagne verworfen.",
    },
  ] as const;
  for (const m of plan) await saveMeasure(platform, admin, tenant, null, { ...m });

  // A comment round on the latest version: two comments approved, one waiting.
  const round = await openRound(platform, admin, tenant, {
    title: "Kommentierung des Entwurfs (Version 3)",
    closesAt: new Date(today.getTime() + 21 * 86_400_000),
    groups: ["Migrantenorganisationen", "Mitglieder der Allianz"],
  });
  const comments = [
    { group: 0, section: "participation", body: "Bitte laden Sie auch die Elternvertretungen der Schulen ein.", signature: "Verein Brückenschlag" },
    {
      group: 1,
      section: "responsibilities",
      body: "Die Beratungsstelle kann Fallberatungen übernehmen, wenn die Clearingstelle sie anfragt.",
      signature: null,
    },
    { group: 0, section: "goals", body: "Wie wird die Rückmeldung binnen eines Werktags an Wochenenden sichergestellt?", signature: null },
  ] as const;
  for (const c of comments) {
    const hit = await roundByLink(platform, "musterstadt", round.links[c.group].token);
    if (hit) await addComment(platform, hit, { section: c.section, body: c.body, signature: c.signature });
  }
  const { comments: stored } = await roundOf(platform, admin, tenant, round.id);
  for (const c of stored.slice(0, 2)) await moderateComment(platform, admin, tenant, round.id, c.id, true);
}

/** How fictional staff answer: per question, the weight of each option (in the questions' order of options). */
const DEMO_SURVEY_WEIGHTS: Record<string, number[]> = {
  racism: [55, 18, 15, 5, 7],
  hostility: [30, 25, 28, 12, 5],
  witnessed: [45, 25, 20, 5, 5],
  where: [40, 22, 18, 5, 5, 8, 2],
  knows: [30, 25, 25, 15, 5],
  backing: [35, 30, 15, 10, 10],
  reported: [15, 30, 20, 30, 5],
  training: [50, 30, 15, 5],
};

/** Answers of fictional staff, spread by the weights above, the same on every start; one in ten leaves a question out. */
async function seedDemoSurveys(platform: Platform, admin: Actor, tenant: TenantRef) {
  const now = platform.clock.now();
  const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
  let state = 20261201;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const answerAll = async (surveyId: string, people: number) => {
    for (let p = 0; p < people; p++) {
      const answers: Record<string, string> = {};
      for (const q of SURVEY_QUESTIONS) {
        if (random() < 0.1) continue;
        const weights = DEMO_SURVEY_WEIGHTS[q.key];
        const pick = random() * weights.reduce((a, b) => a + b, 0);
        let index = 0;
        for (let sum = weights[0]; sum <= pick && index < weights.length - 1; sum += weights[index]) index++;
        answers[q.key] = q.options[index];
      }
      await countAnswer(platform, tenant.id, surveyId, Object.keys(answers).length ? answers : { [SURVEY_QUESTIONS[0].key]: "never" });
    }
  };
  const ended = await openSurvey(platform, admin, tenant, { title: "Befragung der Beschäftigten 2026", closesAt: inDays(14) });
  await answerAll(ended.id, 87);
  await closeSurvey(platform, admin, tenant, ended.id);
  const running = await openSurvey(platform, admin, tenant, { title: "Befragung Bürgerbüro und Außendienst", closesAt: inDays(21) });
  await answerAll(running.id, 4);
}

/** Answers that grow with a municipality's `maturity` (0–1), stronger in some fields than others, the same on every start. */
function demoAnswers(seed: number, maturity: number): Answers {
  const answers: Answers = {};
  for (const [i, q] of ALL_QUESTIONS.entries()) {
    const field = DIMENSIONS.indexOf(q.dimension);
    const strength = (((seed * 31 + field * 17) % 7) - 3) * 0.12;
    const wobble = (((seed * 7919 + i * 104729) % 97) / 97 - 0.5) * 0.9;
    answers[q.field] = Math.max(0, Math.min(3, Math.round((maturity + strength) * 3 + wobble)));
  }
  return answers;
}

export async function seedDemoAssessments(platform: Platform, context: DemoContext): Promise<void> {
  const musterstadt = context.tenants.get("musterstadt");
  const admin = context.users.get("verwaltung@demo.example");
  if (!musterstadt || !admin) return;
  const now = platform.clock.now().getTime();
  const monthsAgo = (m: number) => new Date(now - m * 30 * 86_400_000);
  for (const [m, maturity] of [
    [22, 0.25],
    [11, 0.45],
    [2, 0.6],
  ] as const)
    await recordAssessment(platform, musterstadt.id, admin, demoAnswers(1, maturity), monthsAgo(m));
  const others = [...context.tenants.values()].filter((t) => t.slug !== "musterstadt" && t.kind !== "national");
  const models = others.filter((t) => t.kind === "model").slice(0, 7);
  const network = others.filter((t) => t.kind === "platform").slice(0, 14);
  for (const [i, t] of [...models, ...network].entries()) {
    const maturity = (t.kind === "model" ? 0.5 : 0.3) + ((i * 37) % 30) / 100;
    // A model municipality works on its strategy with the project and assesses itself each quarter
    // of the last year, a little further each time (oldest first, as they were taken); a network
    // municipality once in a while. The Lagebild's national figures of the self-assessments need
    // a kind's quarter to hold more than a few.
    const quarters = t.kind === "model" ? [9, 6, 3, 0] : [0];
    for (const [q, back] of quarters.entries())
      await recordAssessment(platform, t.id, null, demoAnswers(i + 2, maturity - 0.05 * (quarters.length - 1 - q)), monthsAgo(1 + (i % 3) + back));
  }
}

// What drawing the emergency card as a PDF costs, without the network or the database: a usual
// alliance (six partners) and the largest one the forms allow (50 partners, every text at its
// longest), in German and Arabic. Prints milliseconds per card (median of the runs) and the size.
// `npm run bench:card-pdf`.
import { emergencyCardPdf } from "../src/modules/alliance/card-pdf.ts";
import type { EmergencyCard } from "../src/modules/alliance/commands.ts";
import "../src/modules/alliance/index.ts";
import { type PublicLanguage, translator } from "../src/platform/i18n/i18n.ts";

function card(partners: number, longest: boolean, run: number): EmergencyCard {
  const contacts = Array.from({ length: partners }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: longest ? `${"Beratungsstelle ".repeat(12)}${i}` : `Beratungsstelle Beispiel ${i}`,
    kind: "victim_support" as const,
    services: longest ? "W".repeat(2000) : "Vertrauliche Beratung für Betroffene rechter, rassistischer und antisemitischer Gewalt.",
    phone: `+4969900094${String(i).padStart(2, "0")}`,
    email: `stelle${i}@beratung.example`,
    web: null,
    languages: ["de", "ar", "tr"],
    hours: { alwaysOpen: false, slots: [1, 2, 3, 4, 5].map((day) => ({ day: day as 1, from: "09:00", to: "17:00" })) },
    openNow: false,
  }));
  // A different day each run, so that the card is drawn and not taken from the cache.
  const at = new Date(Date.UTC(2027, 0, 1 + run));
  // A usual card names each partner under one or two situations; the largest names every partner everywhere.
  const situations = longest
    ? { threat: contacts, online: contacts, support: contacts }
    : { threat: contacts.slice(0, 2), online: contacts.slice(2, 4), support: [contacts[0], ...contacts.slice(4)] };
  return { tenant: { id: "t", slug: "musterstadt", name: "Musterstadt" }, visibility: "public", at, situations };
}

const RUNS = 5;
for (const [label, partners, longest] of [
  ["usual alliance (6 partners)", 6, false],
  ["largest allowed (50 partners, longest texts)", 50, true],
] as const) {
  for (const lang of ["de", "ar"] as PublicLanguage[]) {
    const times: number[] = [];
    let bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      bytes = (await emergencyCardPdf(card(partners, longest, run), lang, translator(lang), "https://komma.example/musterstadt/melden")).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label}, ${lang}: median ${Math.round(times[Math.floor(RUNS / 2)])} ms, max ${Math.round(times[RUNS - 1])} ms, ${Math.round(bytes / 1024)} KB`,
    );
  }
}

import type { FastifyInstance, FastifyRequest } from "fastify";
import { berlinDate } from "../../platform/calendar.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { perPerson } from "../../platform/http/rate-limit-store.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { LAENDER, type LandCode } from "../../platform/vocabulary.ts";
import { figuresCsv } from "./csv.ts";
import { exportNote, exportRows } from "./export-rows.ts";
import { adjustment, type Figures, figuresFor, filterAdjusted, otherYearAsked, readFilter } from "./figures.ts";
import { lagebildPolicy } from "./policy.ts";
import { eventsOnTheirWay, releaseUnderWay } from "./rebuild.ts";
import { yearlyReportPdf } from "./report-pdf.ts";
import { municipalCube, nationalCube, ownActivity, ownYears, yearsWithFigures } from "./tables.ts";
import { LagebildPage } from "./views.ts";

/** How many years back the filter offers. */
const YEARS_SHOWN = 5;

/**
 * /lagebild: a municipality's own figures for its people, the national figures for the national
 * team and the advisory board (the same page, by the tenant they work in), and the same figures
 * as CSV and JSON.
 */
/** The figures the request asks for, where its actor may see them (else 404): the page, the downloads and the API read them alike. */
export async function loadFigures(
  platform: Platform,
  request: FastifyRequest,
  query: Record<string, unknown> = (request.query ?? {}) as Record<string, unknown>,
): Promise<{ figures: Figures; national: boolean; today: string; years: number[] }> {
  const { actor } = requireActor(request);
  const t = requireTenant(request);
  const tenant = { id: t.id, kind: t.kind };
  lagebildPolicy.authorize(actor, "view", tenant);
  const national = t.kind === "national";
  const today = berlinDate(platform.clock.now());
  // A year without figures is not offered (its page would be all zeros): this year is shown instead, and says so.
  const withFigures = national ? await yearsWithFigures(platform.statisticsDb) : await ownYears(platform.db, t.id, platform.clock.now());
  const filter = readFilter(query, today, national, withFigures);
  const thisYear = Number(today.slice(0, 4));
  const years = [...new Set([thisYear, ...withFigures])]
    .filter((y) => y <= thisYear)
    .sort((a, b) => b - a)
    .slice(0, YEARS_SHOWN);
  if (!years.includes(filter.year)) years.push(filter.year);
  years.sort((a, b) => b - a);
  const db = national ? platform.statisticsDb : platform.db;
  if (national) {
    const [now, before] = await Promise.all([nationalCube(db, filter.year), nationalCube(db, filter.year - 1)]);
    const release = now.release ?? before.release;
    const figures = figuresFor(filter, now.cube, before.cube, undefined, release);
    if (release !== null) return { figures, national, today, years };
    return { figures: { ...figures, unpublished: true, releasing: await releaseUnderWay(db, platform.clock.now()) }, national, today, years };
  }
  const now = platform.clock.now();
  // Asked before the tenant's transaction (an embedded database has one connection).
  const wait = await eventsOnTheirWay(platform, now);
  const [mine, lastYear, own] = await Promise.all([
    municipalCube(db, t.id, filter.year, now, wait),
    municipalCube(db, t.id, filter.year - 1, now, wait),
    ownActivity(db, t.id),
  ]);
  return { figures: figuresFor(filter, mine.cube, lastYear.cube, own, mine.release), national, today, years };
}

/** The national figures' release, for the JSON and the API: when, and the first month not yet in it. */
export const releaseOut = (f: Figures) => (f.release ? { released: { at: f.release.releasedAt.toISOString(), before: f.release.month.slice(0, 7) } } : {});

export function registerLagebildRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const load = (request: FastifyRequest) => loadFigures(platform, request);
  const queryOf = (f: Figures, national: boolean) =>
    `?jahr=${f.filter.year}&quartal=${f.filter.quarter}${national ? `&gebiet=${encodeURIComponent(f.filter.scope)}` : ""}`;

  app.get("/lagebild", async (request, reply) => {
    // The years with figures (the national ones as released), this year always, the year shown too.
    const { figures, national, years } = await load(request);
    return reply.page(
      html`<${LagebildPage} ctx=${viewContext(request, nav)} figures=${figures} national=${national} years=${years} query=${queryOf(figures, national)} adjusted=${adjustment((request.query ?? {}) as Record<string, unknown>, figures.filter, national)} />`,
    );
  });

  /**
   * A file name that tells the downloads apart, in the reader's language: "lagebild-2025-q2-bayern.csv",
   * "jahresbericht-2026-musterstadt.pdf", "situation-picture-2026-germany.json".
   */
  const fileName = (request: FastifyRequest, f: Figures, file: "figures" | "report", ext: string) => {
    const scope = f.filter.scope;
    const area =
      scope === "*"
        ? requireTenant(request).slug
        : scope === "DE" || scope === "model" || scope === "platform"
          ? request.t(`monitoring.file.${scope}`)
          : LAENDER[scope as LandCode];
    const kind = request.t(`monitoring.file.${file}`);
    const words = `${kind}-${f.filter.year}${f.filter.quarter ? `-q${f.filter.quarter}` : ""}-${area}`;
    return `${words
      .toLowerCase()
      .replace(/ä/g, "ae")
      .replace(/ö/g, "oe")
      .replace(/ü/g, "ue")
      .replace(/ß/g, "ss")
      .replace(/[^a-z0-9-]+/g, "-")}.${ext}`;
  };

  app.get("/lagebild/zahlen.csv", async (request, reply) => {
    const { figures } = await load(request);
    const csv = figuresCsv(exportRows(figures), request.t, request.lang, requireTenant(request).name);
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${fileName(request, figures, "figures", "csv")}"`)
      .header("cache-control", "private, no-store")
      .send(csv);
  });

  // A report takes a worker thread a while: a few a minute per client, as the other PDFs.
  app.get("/lagebild/jahresbericht.pdf", { config: { rateLimit: perPerson(10) } }, async (request, reply) => {
    // The yearly report: always the whole year.
    const query = (request.query ?? {}) as Record<string, unknown>;
    const { figures, years } = await loadFigures(platform, request, { ...query, quartal: "0" });
    if (otherYearAsked(query, figures.filter)) throw new AppError("not_found", request.t("errors.lagebild.noYear", { years: years.join(", ") }));
    // No report of figures not yet released: it would show zeros as if nothing had happened.
    if (figures.unpublished)
      throw new AppError("not_found", `${request.t("monitoring.release.none")}${figures.releasing ? ` ${request.t("monitoring.release.underWay")}` : ""}`);
    const pdf = await yearlyReportPdf({
      t: request.t,
      lang: request.lang,
      figures,
      tenantName: requireTenant(request).name,
      createdAt: platform.clock.now(),
    });
    return reply
      .header("content-type", "application/pdf")
      .header("content-disposition", `attachment; filename="${fileName(request, figures, "report", "pdf")}"`)
      .header("cache-control", "private, no-store")
      .send(pdf);
  });

  app.get("/lagebild/zahlen.json", async (request, reply) => {
    const { figures, national } = await load(request);
    return reply
      .header("content-disposition", `inline; filename="${fileName(request, figures, "figures", "json")}"`)
      .header("cache-control", "private, no-store")
      .send({
        filter: figures.filter,
        // A year, period or area asked for that the figures do not offer: `filter` says what is shown instead.
        adjusted: filterAdjusted((request.query ?? {}) as Record<string, unknown>, figures.filter, national),
        period: figures.period,
        ...releaseOut(figures),
        note: exportNote(request.t, national),
        rows: exportRows(figures),
      });
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest, RequestPayload } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import type { Platform } from "../../platform/platform.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
  html,
  Layout,
  PageHeading,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { createReport, type TenantInfo } from "./commands.ts";
import { displayName, mediaTypeLabel } from "./evidence.ts";
import { type ReportDetail, type ReportExtract, readEvidenceFile } from "./office-commands.ts";
import { addOfficeEvidence, checkOfficeEvidenceCase, type OfficeEvidenceForm } from "./office-evidence.ts";
import { reportPolicy } from "./policy.ts";
import { readBody } from "./public-flow.ts";
import { type DraftAnswers, type FormValues, OFFICE_CHANNELS, stepInput, stepSchemas } from "./schemas.ts";
import { SummaryList } from "./summary.ts";
import { stepBody } from "./views.ts";

/**
 * What a report holds, for the clearing office's case page: when and how it arrived, the answers,
 * the evidence and the mailbox with its reply form (posted to the case's `antwort` address).
 */
export function ReportMaterial({ ctx, report, errors, reply }: { ctx: ViewContext; report: ReportDetail; errors: FieldErrors; reply?: string }) {
  const { t } = ctx;
  const fmt = dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  const values = { ...(report.content as FormValues), ...(report.contact ?? {}), mode: report.mode } as FormValues;
  return html`
    <h2 class="kern-heading-medium" id="angaben">${t("office.content")}</h2>
    ${report.immediateDanger && html`<div class="kern-alert kern-alert--danger" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><p class="kern-title">${t("office.danger")}</p></div></div>`}
    <dl class="kern-description-list">
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("office.received")}</dt><dd class="kern-description-list-item__value">${fmt.format(report.createdAt)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("office.channel")}</dt><dd class="kern-description-list-item__value">${t(`office.channels.${report.channel}`)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("office.mode")}</dt><dd class="kern-description-list-item__value">${t(`office.modes.${report.mode}`)}</dd></div>
    </dl>
    ${report.mode === "anonymous" && html`<p class="kern-body">${t("office.noContact")}</p>`}
    <${SummaryList} ctx=${ctx} values=${values} hideEmpty level=${3} />
    <h2 class="kern-heading-medium" id="beweise">${t("office.evidence")}</h2>
    <p class="kern-body"><a class="kern-link" href=${`/faelle/${report.caseNumber}/beweise/neu`}>${t("office.addEvidence.link")}</a></p>
    ${report.evidence.length === 0 && html`<p class="kern-body">${t("reports.evidence.none")}</p>`}
    <ol class="kern-list komma-evidence">
      ${report.evidence.map(
        (e, i) => html`<li>
          ${
            e.kind === "file"
              ? html`<a class="kern-link" href=${`/faelle/${report.caseNumber}/beweise/${e.id}`}>${t("office.evidenceDownload", { number: i + 1 })}<span class="kern-sr-only">: </span></a>
                  ${" "}<span class="kern-body kern-body--small">(${mediaTypeLabel(t, e.mediaType ?? "application/octet-stream")}) · ${t(report.mode === "anonymous" && !e.custody ? "office.evidenceStoredAs" : "office.evidenceName")}: <bdi class="komma-break">${displayName(e.name)}</bdi></span>`
              : html`<span class="komma-break" dir="ltr">${displayName(e.name)}</span> (${t(`reports.evidence.urlKinds.${e.urlKind ?? "content"}`)})`
          }
          <br /><span class="kern-body kern-body--small komma-break">${t(e.kind === "file" ? "office.sha256Received" : "office.sha256")}: <code>${e.sha256}</code></span>
          ${
            e.kind === "file" &&
            html`<br /><span class="kern-body kern-body--small komma-break">${t("office.sha256Stored")}: <code>${e.storedSha256 ?? e.sha256}</code></span>
              <br /><span class="kern-body kern-body--small">${t(e.metadataRemoved ? "office.metadataRemoved" : "office.metadataKept")}</span>`
          }
          ${(e.capturedAt || e.capturedBy) && html`<br /><span class="kern-body kern-body--small">${e.capturedAt ? fmt.format(e.capturedAt) : ""}${e.capturedBy ? ` · ${e.capturedBy}` : ""}</span>`}
          ${
            e.custody &&
            html`<br /><span class="kern-body kern-body--small">${t("office.addEvidence.custody", { name: e.custody.addedBy, date: fmt.format(e.custody.at) })}: <span dir="auto">${e.custody.source}</span></span>`
          }
        </li>`,
      )}
    </ol>
    <h2 class="kern-heading-medium" id="postfach">${t("office.messages")}</h2>
    ${!report.mailbox && html`<${ErrorSummary} t=${t} errors=${errors} />`}
    ${report.messages.length === 0 && html`<p class="kern-body">${t("reports.mailbox.noMessages")}</p>`}
    <ol class="komma-messages">
      ${report.messages.map(
        (m) => html`<li class=${`komma-message komma-message--${m.author}`}>
          <p class="kern-body kern-body--small"><strong>${m.author === "office" ? t("reports.mailbox.fromOffice") : t("office.reporter")}</strong> · ${fmt.format(m.createdAt)}</p>
          <p class="kern-body komma-pre" dir="auto">${m.body}</p>
        </li>`,
      )}
    </ol>
    ${
      report.mailbox
        ? html`<${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${`/faelle/${report.caseNumber}/antwort`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextArea} name="message" label=${t("office.reply")} hint=${t("office.replyHint")} value=${reply} error=${errors.message} rows=${5} />
      <${SubmitButton} label=${t("office.send")} />
    </form>`
        : html`<p class="kern-body">${t("office.contactDirectly")}</p>`
    }`;
}

export function registerOfficeRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantInfo => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };

  app.get("/faelle/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    reportPolicy.authorize(actor, "enter", tenant);
    return reply.page(html`<${EntryPage} ctx=${ctx(request)} values=${{}} errors=${{}} />`);
  });

  // Who may not act here is refused before the body is read: nobody else can make the server
  // read (and spool) what they send to the office's forms.
  const admit = (action: "enter" | "reply") => async (request: FastifyRequest, _reply: FastifyReply, payload: RequestPayload) => {
    reportPolicy.authorize(requireActor(request).actor, action, tenantOf(request));
    return payload;
  };

  app.post("/faelle/neu", { preParsing: admit("enter") }, async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    reportPolicy.authorize(actor, "enter", tenant);
    const { values } = readBody(request.body);
    const errors: FieldErrors = {};
    const answers: DraftAnswers = {};
    for (const step of ["mode", "incident", "people", "effects"] as const) {
      const parsed = stepSchemas[step].safeParse(stepInput(step, values));
      if (parsed.success) Object.assign(answers, parsed.data);
      else Object.assign(errors, fieldErrors(parsed.error, request.t));
    }
    const channel = (OFFICE_CHANNELS as readonly string[]).includes(String(values.channel)) ? (values.channel as (typeof OFFICE_CHANNELS)[number]) : null;
    if (!channel) errors.channel = request.t("errors.invalid");
    if (Object.keys(errors).length > 0 || !channel) return reply.page(html`<${EntryPage} ctx=${ctx(request)} values=${values} errors=${errors} />`, 400);
    const created = await createReport(platform, tenant, { answers, lang: request.lang, channel, enteredBy: actor.userId });
    const message = request.t("office.entered", { caseNumber: created.caseNumber });
    if (created.receiptCode) {
      // The office hands the code to the caller; it is shown here once, like to a web reporter.
      return reply.page(
        html`<${Layout} ctx=${ctx(request)} title=${message}>
          <${PageHeading} title=${message} lead=${request.t("office.receiptForReporter")} />
          <p class="komma-receipt" data-testid="receipt-code" dir="ltr">${created.receiptCode}</p>
          <p><a class="kern-link" href=${`/faelle/${created.caseNumber}`}>${created.caseNumber}</a></p>
        <//>`,
        201,
      );
    }
    return reply.flash({ kind: "success", message }).redirect(`/faelle/${created.caseNumber}`, 303);
  });

  /* The office adds evidence with its chain of custody: a page of its own, so that a mistake keeps the input. */
  const evidencePage = (request: FastifyRequest, caseNumber: string, form: OfficeEvidenceForm, errors: FieldErrors) => {
    const c = ctx(request);
    const { t } = c;
    const title = t("office.addEvidence.title", { caseNumber });
    return html`<${Layout} ctx=${c} title=${title}>
      <${PageHeading} title=${title} lead=${t("office.addEvidence.lead")} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <form method="post" action=${`/faelle/${caseNumber}/beweise`} enctype="multipart/form-data" novalidate class="komma-form">
        <${CsrfField} ctx=${c} />
        <${TextArea} name="source" label=${t("office.addEvidence.source")} hint=${t("office.addEvidence.sourceHint")} value=${form.source} error=${errors.source} rows=${3} />
        <${FileField} name="file" label=${t("reports.evidence.file")} hint=${t("reports.evidence.fileHint", { mb: c.maxFileMb ?? 25 })} error=${errors.file} multiple />
        <${TextField} name="url" type="url" label=${t("reports.evidence.url")} value=${form.url} error=${errors.url} spellcheck=${false} dir="ltr" />
        <${TextField} name="capturedAt" type="datetime-local" label=${t("office.addEvidence.capturedAt")} hint=${t("office.addEvidence.capturedAtHint")} value=${form.capturedAt} error=${errors.capturedAt} />
        <${SubmitButton} label=${t("office.addEvidence.save")} />
      </form>
      <p class="kern-body"><a class="kern-link" href=${`/faelle/${caseNumber}`}>${t("office.addEvidence.back", { caseNumber })}</a></p>
    <//>`;
  };

  app.get("/faelle/:caseNumber/beweise/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const { caseNumber } = request.params as { caseNumber: string };
    await checkOfficeEvidenceCase(platform, actor, tenant, caseNumber);
    return reply.page(evidencePage(request, caseNumber, { source: "", url: "", capturedAt: "" }, {}));
  });

  app.post("/faelle/:caseNumber/beweise", { preParsing: admit("reply") }, async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const { caseNumber } = request.params as { caseNumber: string };
    const { values, files } = readBody(request.body);
    const one = (v: FormValues[string]) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
    const form = { source: one(values.source), url: one(values.url), capturedAt: one(values.capturedAt) };
    const result = await addOfficeEvidence(platform, actor, tenant, caseNumber, files, form, request.t);
    if (!result.ok) return reply.page(evidencePage(request, caseNumber, form, result.errors), 400);
    return reply
      .flash({ kind: "success", message: request.t("office.addEvidence.added", { count: result.added }) })
      .redirect(`/faelle/${caseNumber}#beweise`, 303);
  });

  // Evidence is sent as stored: mostly already compressed (JPEG, PDF), and its bytes must match the digest.
  app.get("/faelle/:caseNumber/beweise/:id", { compress: false }, async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const { caseNumber, id } = request.params as { caseNumber: string; id: string };
    if (!/^[0-9a-f-]{36}$/.test(id)) return reply.callNotFound();
    const file = await readEvidenceFile(platform, actor, tenant, caseNumber, id);
    // Evidence may be hostile: always a download, never rendered by the browser on our origin.
    return reply
      .header("content-type", file.mediaType)
      .header("content-disposition", `attachment; filename="${file.downloadName}"`)
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "sandbox; default-src 'none'")
      .header("cache-control", "no-store")
      .header("digest", `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`)
      .send(file.bytes);
  });

  function EntryPage({ ctx: c, values, errors }: { ctx: ViewContext; values: FormValues; errors: FieldErrors }) {
    const { t } = c;
    return html`<${Layout} ctx=${c} title=${t("office.enterTitle")}>
      <${PageHeading} title=${t("office.enterTitle")} lead=${t("office.enterLead")} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <form method="post" action="/faelle/neu" novalidate class="komma-form">
        <${CsrfField} ctx=${c} />
        <${SelectField} name="channel" label=${t("office.channelLabel")} value=${String(values.channel ?? "")} error=${errors.channel}
          options=${[{ value: "", label: t("form.choose") }, ...OFFICE_CHANNELS.map((ch) => ({ value: ch, label: t(`office.channels.${ch}`) }))]} />
        ${officeFields(c, values, errors)}
        <${SubmitButton} label=${t("form.save")} />
      </form>
    <//>`;
  }
}

function officeFields(ctx: ViewContext, values: FormValues, errors: FieldErrors) {
  return (["mode", "incident", "people", "effects"] as const).map((s) => stepBody(ctx, s, values, errors));
}

/** What a partner sees of a referred report: the consented categories, nothing else. */
export function ReportExtractView({ ctx, extract }: { ctx: ViewContext; extract: ReportExtract }) {
  const { t } = ctx;
  const values = { ...(extract.summary ?? {}), ...(extract.contact ?? {}), ...(extract.identity ?? {}) } as FormValues;
  return html`${Object.keys(values).length > 0 && html`<${SummaryList} ctx=${ctx} values=${values} hideEmpty onlyGiven />`}
    ${
      extract.evidence &&
      html`<h2 class="kern-heading-medium">${t("office.evidence")}</h2>
      ${extract.evidence.length === 0 && html`<p class="kern-body">${t("reports.evidence.none")}</p>`}
      <ol class="kern-list komma-evidence">${extract.evidence.map(
        // Listed, not downloadable: the partner sees which evidence there is and its checksums.
        (e) => html`<li>${t("office.evidenceItem", { number: e.number })} (${e.mediaType ? mediaTypeLabel(t, e.mediaType) : t("office.evidenceLink")})
          <br /><span class="kern-body kern-body--small komma-break">${t("office.sha256Received")}: <code>${e.sha256}</code></span>
          ${e.storedSha256 && html`<br /><span class="kern-body kern-body--small komma-break">${t("office.sha256Stored")}: <code>${e.storedSha256}</code></span>`}</li>`,
      )}</ol>`
    }`;
}

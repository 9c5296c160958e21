import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkUpload, DOCUMENT_TYPES, downloadHeaders } from "../../platform/files/files.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { acceptUploads, textField, uploadedFile } from "../../platform/http/multipart.ts";
import { workspaceLink } from "../../platform/http/workspace-link.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { formValues, one } from "./forms.ts";
import { meetingIcs } from "./ics.ts";
import { linkPartnerAccount } from "./partner-accounts.ts";
import { ATTENDANCE, type Attendance } from "./schema.ts";
import { decisionInput, documentInput, meetingInput, minutesInput } from "./schemas.ts";
import {
  addDecision,
  cancelMeeting,
  changeCircleMember,
  createMeeting,
  meeting,
  recordMinutes,
  setDecisionDone,
  updateMeeting,
  workspace,
} from "./workspace.ts";
import { addCircleDocument, circleDocumentFile, removeCircleDocument } from "./workspace-documents.ts";
import { circleFromPath, MeetingPage, WorkspacePage } from "./workspace-view.ts";

const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** The workspace's pages: the circles, their members and meetings; a meeting's record and calendar entry. */
export function registerWorkspaceRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };
  const param = (request: FastifyRequest, key: string) => (request.params as Record<string, string>)[key];
  /** The circle a request names: in the path, or (for the workspace's forms) in a field. */
  const circleOf = (request: FastifyRequest, field?: string) => {
    const raw = field ? (request.body as Record<string, unknown> | undefined)?.[field] : param(request, "circle");
    const value = raw && typeof raw === "object" && "value" in raw ? (raw as { value: unknown }).value : raw;
    const circle = typeof value === "string" ? circleFromPath(value) : null;
    if (!circle) throw new AppError("not_found");
    return circle;
  };

  app.get("/allianz/arbeitsraum", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const ws = await workspace(platform, actor, tenant);
    return reply.page(html`<${WorkspacePage} ctx=${ctx(request)} ws=${ws} now=${platform.clock.now()} />`);
  });

  app.post("/allianz/arbeitsraum/sitzungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const circle = circleOf(request, "kreis");
    const values = formValues(request.body);
    const parsed = meetingInput.safeParse({
      title: one(values.title),
      date: one(values.date),
      from: one(values.from),
      to: one(values.to),
      place: one(values.place),
      link: one(values.link),
      agenda: one(values.agenda),
    });
    if (!parsed.success) {
      const ws = await workspace(platform, actor, tenant);
      // Not a member of this circle: no form to show the errors on, and no hint that it exists.
      if (!ws.circles.some((c) => c.circle === circle)) throw new AppError("not_found");
      return reply.page(
        html`<${WorkspacePage} ctx=${ctx(request)} ws=${ws} now=${platform.clock.now()} values=${values} errors=${fieldErrors(parsed.error, request.t)} formCircle=${circle} />`,
        400,
      );
    }
    const id = await createMeeting(platform, actor, tenant, circle, parsed.data);
    return reply.flash({ kind: "success", message: request.t("alliance.meeting.created") }).redirect(`/allianz/sitzung/${id}`, 303);
  });

  app.post("/allianz/arbeitsraum/mitglieder", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const userId = one(formValues(request.body).userId);
    if (userId === "") {
      return reply.flash({ kind: "warning", message: request.t("alliance.workspace.choosePerson") }).redirect("/allianz/arbeitsraum#membership", 303);
    }
    await changeCircleMember(platform, actor, tenant, circleOf(request, "memberKreis"), userId, true);
    return reply.flash({ kind: "success", message: request.t("alliance.workspace.memberAdded") }).redirect("/allianz/arbeitsraum#membership", 303);
  });

  app.post("/allianz/arbeitsraum/:circle/mitglieder/:userId/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    await changeCircleMember(platform, actor, tenantOf(request), circleOf(request), param(request, "userId"), false);
    return reply.flash({ kind: "success", message: request.t("alliance.workspace.memberRemoved") }).redirect("/allianz/arbeitsraum#membership", 303);
  });

  app.get("/allianz/sitzung/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const m = await meeting(platform, actor, tenantOf(request), param(request, "id"));
    return reply.page(html`<${MeetingPage} ctx=${ctx(request)} meeting=${m} />`);
  });

  app.get("/allianz/sitzung/:id/kalender.ics", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const m = await meeting(platform, actor, tenant, param(request, "id"));
    const pageUrl = workspaceLink(platform.config.publicUrl, tenant.slug, `/allianz/sitzung/${m.id}`);
    const ics = meetingIcs(m, { host: new URL(platform.config.publicUrl).host, pageUrl, stamp: platform.clock.now() });
    return reply
      .header("content-type", "text/calendar; charset=utf-8")
      .header("content-disposition", `attachment; filename="sitzung-${m.startsAt.toISOString().slice(0, 10)}.ics"`)
      .header("cache-control", "private, no-store")
      .send(ics);
  });

  app.post("/allianz/sitzung/:id/protokoll", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const id = param(request, "id");
    const values = formValues(request.body);
    const parsed = minutesInput.safeParse({ minutes: one(values.minutes) });
    const attendance = new Map<string, Attendance>();
    for (const [key, value] of Object.entries(values)) {
      const status = one(value);
      if (key.startsWith("attendance_") && (ATTENDANCE as readonly string[]).includes(status))
        attendance.set(key.slice("attendance_".length), status as Attendance);
    }
    if (!parsed.success) {
      const m = await meeting(platform, actor, tenant, id);
      return reply.page(html`<${MeetingPage} ctx=${ctx(request)} meeting=${m} values=${values} errors=${fieldErrors(parsed.error, request.t)} />`, 400);
    }
    const seen = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(one(values.stand)) ? one(values.stand) : null;
    try {
      await recordMinutes(platform, actor, tenant, id, parsed.data.minutes, attendance, seen);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "conflict")) throw err;
      // Someone saved in between: their text is shown, this one stays in the form, nothing is lost.
      const m = await meeting(platform, actor, tenant, id);
      return reply.page(html`<${MeetingPage} ctx=${ctx(request)} meeting=${m} values=${values} conflict=${true} />`, 409);
    }
    return reply.flash({ kind: "success", message: request.t("alliance.meeting.recordSaved") }).redirect(`/allianz/sitzung/${id}#protokoll`, 303);
  });

  app.post("/allianz/sitzung/:id/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const id = param(request, "id");
    const m = await meeting(platform, actor, tenant, id);
    const values = formValues(request.body);
    const parsed = meetingInput.safeParse({
      title: one(values.title),
      date: one(values.date),
      from: one(values.from),
      to: one(values.to),
      place: one(values.place),
      link: one(values.link),
      agenda: one(values.agenda),
    });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, request.t);
      return reply.page(html`<${MeetingPage} ctx=${ctx(request)} meeting=${m} errors=${errors} edit=${{ values, errors }} />`, 400);
    }
    if (m.cancelled) throw new AppError("conflict");
    await updateMeeting(platform, actor, tenant, id, parsed.data);
    return reply.flash({ kind: "success", message: request.t("alliance.meeting.changed") }).redirect(`/allianz/sitzung/${id}`, 303);
  });

  app.post("/allianz/sitzung/:id/absagen", async (request, reply) => {
    const { actor } = requireActor(request);
    const id = param(request, "id");
    await cancelMeeting(platform, actor, tenantOf(request), id);
    return reply.flash({ kind: "success", message: request.t("alliance.meeting.cancelledFlash") }).redirect(`/allianz/sitzung/${id}`, 303);
  });

  app.post("/allianz/sitzung/:id/beschluesse", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const id = param(request, "id");
    const values = formValues(request.body);
    const parsed = decisionInput.safeParse({ text: one(values.text), ownerId: one(values.ownerId), due: one(values.due) });
    const m = await meeting(platform, actor, tenant, id);
    const errors = parsed.success ? {} : fieldErrors(parsed.error, request.t);
    if (parsed.success && parsed.data.ownerId && !m.members.some((p) => p.id === parsed.data.ownerId)) errors.ownerId = request.t("errors.alliance.owner");
    if (!parsed.success || Object.keys(errors).length > 0)
      return reply.page(html`<${MeetingPage} ctx=${ctx(request)} meeting=${m} values=${values} errors=${errors} />`, 400);
    await addDecision(platform, actor, tenant, id, parsed.data);
    return reply.flash({ kind: "success", message: request.t("alliance.meeting.decisionSaved") }).redirect(`/allianz/sitzung/${id}#beschluesse`, 303);
  });

  for (const [verb, done] of [
    ["erledigt", true],
    ["offen", false],
  ] as const) {
    app.post(`/allianz/sitzung/:id/beschluesse/:decision/${verb}`, async (request, reply) => {
      const { actor } = requireActor(request);
      const id = param(request, "id");
      await setDecisionDone(platform, actor, tenantOf(request), id, param(request, "decision"), done);
      return reply.redirect(`/allianz/sitzung/${id}#beschluesse`, 303);
    });
  }

  /* Documents of a circle: uploaded as multipart, in a scope of their own with the size limit. */
  app.register(async (scope) => {
    // Signed in and of the municipality; whether the circle named in the body is theirs is checked once it is read.
    await acceptUploads(scope, {
      maxFileBytes: MAX_DOCUMENT_BYTES,
      fields: 4,
      admit: (request) => {
        requireActor(request);
        tenantOf(request);
      },
    });
    scope.post("/allianz/arbeitsraum/dokumente", async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = tenantOf(request);
      const circle = circleOf(request, "docKreis");
      const body = request.body as Record<string, unknown> | undefined;
      const values = { docTitle: textField(body, "docTitle"), docKreis: textField(body, "docKreis") };
      const parsed = documentInput.safeParse(values);
      const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error, request.t);
      const part = uploadedFile(request.body, "datei");
      let upload = null;
      if (part) {
        const checked = await checkUpload({ name: part.name, bytes: await part.bytes(), truncated: part.truncated }, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES);
        if ("problem" in checked) errors.datei = request.t(`alliance.agreements.fileProblem.${checked.problem}`);
        else upload = checked;
      } else errors.datei = request.t("alliance.documents.noFile");
      if (!parsed.success || !upload || Object.keys(errors).length > 0) {
        const ws = await workspace(platform, actor, tenant);
        if (!ws.circles.some((c) => c.circle === circle)) throw new AppError("not_found");
        if (upload && !errors.datei) errors.datei = request.t("alliance.agreements.fileAgain");
        return reply.page(
          html`<${WorkspacePage} ctx=${ctx(request)} ws=${ws} now=${platform.clock.now()} values=${values} errors=${errors} docCircle=${circle} />`,
          400,
        );
      }
      await addCircleDocument(platform, actor, tenant, circle, parsed.data.docTitle, upload);
      return reply.flash({ kind: "success", message: request.t("alliance.documents.added") }).redirect("/allianz/arbeitsraum", 303);
    });
  });

  app.get("/allianz/dokument/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const file = await circleDocumentFile(platform, actor, tenantOf(request), param(request, "id"));
    return reply.headers(downloadHeaders(file)).send(file.bytes);
  });

  app.post("/allianz/dokument/:id/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    await removeCircleDocument(platform, actor, tenantOf(request), param(request, "id"));
    return reply.flash({ kind: "success", message: request.t("alliance.documents.removed") }).redirect("/allianz/arbeitsraum", 303);
  });

  /* The people who act for a partner organisation, linked on its entry by the municipal admin. */
  app.post("/allianz/partner/:id/zugaenge", async (request, reply) => {
    const { actor } = requireActor(request);
    const id = param(request, "id");
    await linkPartnerAccount(platform, actor, tenantOf(request), id, one(formValues(request.body).userId), true);
    return reply.flash({ kind: "success", message: request.t("alliance.accounts.linked") }).redirect(`/allianz/partner/${id}`, 303);
  });

  app.post("/allianz/partner/:id/zugaenge/:userId/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    const id = param(request, "id");
    await linkPartnerAccount(platform, actor, tenantOf(request), id, param(request, "userId"), false);
    return reply.flash({ kind: "success", message: request.t("alliance.accounts.unlinked") }).redirect(`/allianz/partner/${id}`, 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { berlinDate } from "../../platform/calendar.ts";
import { checkUpload, DOCUMENT_TYPES, downloadHeaders } from "../../platform/files/files.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { acceptUploads, textField, uploadedFile } from "../../platform/http/multipart.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { addBoardDocument, boardDocumentFile, boardDocumentInput, boardDocumentList, removeBoardDocument } from "./board.ts";
import { BoardPage, BoardRemovePage } from "./board-view.ts";
import { boardPolicy } from "./policy.ts";
import { releaseUnderWay } from "./rebuild.ts";
import { yearsWithFigures } from "./tables.ts";

const MAX_BOARD_BYTES = 20 * 1024 * 1024;
const YEARS_SHOWN = 5;

/** The advisory board's workspace under /beirat. */
export function registerBoardRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const where = (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const t = requireTenant(request);
    return { actor, tenant: { id: t.id, kind: t.kind } };
  };
  const page = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const { actor, tenant } = where(request);
    const docs = await boardDocumentList(platform, actor, tenant);
    const thisYear = Number(berlinDate(platform.clock.now()).slice(0, 4));
    // Reports of the years that have figures (not the future), the latest five.
    const years = (await yearsWithFigures(platform.statisticsDb)).filter((y) => y <= thisYear).slice(0, YEARS_SHOWN);
    // Before the first release: whether it is being made (as the national page says).
    const releasing = years.length === 0 && (await releaseUnderWay(platform.statisticsDb, platform.clock.now()));
    return reply.page(
      html`<${BoardPage} ctx=${viewContext(request, nav)} docs=${docs} canManage=${boardPolicy.can(actor, "manage", tenant)}
        years=${years} releasing=${releasing} thisYear=${thisYear} values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/beirat", (request, reply) => page(request, reply, {}, {}));

  app.register(async (scope) => {
    await acceptUploads(scope, {
      maxFileBytes: MAX_BOARD_BYTES,
      fields: 4,
      admit: (request) => {
        const { actor, tenant } = where(request);
        boardPolicy.authorize(actor, "manage", tenant);
      },
    });
    scope.post("/beirat/dokumente", async (request, reply) => {
      const { actor, tenant } = where(request);
      boardPolicy.authorize(actor, "manage", tenant);
      const values = { title: textField(request.body, "title"), meetingOn: textField(request.body, "meetingOn") };
      const parsed = boardDocumentInput.safeParse(values);
      const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error, request.t);
      // A meeting within ten years either way: 0001-01-01 is a typing slip, not a date.
      const now = platform.clock.now();
      if (parsed.success && (parsed.data.meetingOn < berlinDate(now, -3653) || parsed.data.meetingOn > berlinDate(now, 3653)))
        errors.meetingOn = request.t("errors.board.meetingOn");
      const part = uploadedFile(request.body, "datei");
      let upload = null;
      if (part) {
        const checked = await checkUpload({ name: part.name, bytes: await part.bytes(), truncated: part.truncated }, DOCUMENT_TYPES, MAX_BOARD_BYTES);
        if ("problem" in checked) errors.datei = request.t(`monitoring.board.fileProblem.${checked.problem}`);
        else upload = checked;
      } else errors.datei = request.t("errors.board.file");
      if (!parsed.success || !upload || Object.keys(errors).length > 0) {
        if (upload && !errors.datei) errors.datei = request.t("errors.board.fileAgain");
        return page(request, reply, values, errors, 400);
      }
      await addBoardDocument(platform, actor, tenant, parsed.data, upload);
      return reply.flash({ kind: "success", message: request.t("monitoring.board.added") }).redirect("/beirat#board-documents", 303);
    });
  });

  app.get("/beirat/dokument/:id", async (request, reply) => {
    const { actor, tenant } = where(request);
    const file = await boardDocumentFile(platform, actor, tenant, (request.params as { id: string }).id);
    return reply.headers(downloadHeaders(file)).send(file.bytes);
  });

  app.get("/beirat/dokument/:id/entfernen", async (request, reply) => {
    const { actor, tenant } = where(request);
    boardPolicy.authorize(actor, "manage", tenant);
    const doc = (await boardDocumentList(platform, actor, tenant)).find((d) => d.id === (request.params as { id: string }).id);
    if (!doc) throw new AppError("not_found");
    return reply.page(html`<${BoardRemovePage} ctx=${viewContext(request, nav)} doc=${doc} />`);
  });

  app.post("/beirat/dokument/:id/entfernen", async (request, reply) => {
    const { actor, tenant } = where(request);
    await removeBoardDocument(platform, actor, tenant, (request.params as { id: string }).id);
    return reply.flash({ kind: "success", message: request.t("monitoring.board.removed") }).redirect("/beirat#board-documents", 303);
  });
}

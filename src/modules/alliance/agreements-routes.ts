import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkUpload, DOCUMENT_TYPES, downloadHeaders } from "../../platform/files/files.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { refuseBrokenMultipart } from "../../platform/http/multipart.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { addAgreement, agreementDocument, removeAgreement } from "./agreements.ts";
import { authorizeEdit, partnerDetail } from "./commands.ts";
import { agreementInput } from "./schemas.ts";
import { PartnerPage } from "./views.ts";

/** Signed agreements are scans or exports of a few pages. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

interface FilePart {
  type: "file";
  filename: string;
  file: { truncated: boolean };
  toBuffer(): Promise<Buffer>;
}
/** A file part of a multipart body (a JSON body naming "type": "file" is no file). */
const isFilePart = (v: unknown): v is FilePart =>
  !!v && typeof v === "object" && (v as { type?: unknown }).type === "file" && typeof (v as { toBuffer?: unknown }).toBuffer === "function";
const field = (body: unknown, key: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  const value = v && typeof v === "object" && "value" in v ? (v as { value: unknown }).value : v;
  return typeof value === "string" ? value : "";
};

/** A partner's cooperation agreements: recorded with their document by the municipal admin, read by the directory's readers. */
export function registerAgreementRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };
  const param = (request: FastifyRequest, key: string) => (request.params as Record<string, string>)[key];

  app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 6, parts: 7 },
    });
    refuseBrokenMultipart(scope);

    scope.post("/allianz/partner/:id/vereinbarungen", async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = tenantOf(request);
      authorizeEdit(actor, tenant);
      const id = param(request, "id");
      const values = { title: field(request.body, "title"), validFrom: field(request.body, "validFrom"), validUntil: field(request.body, "validUntil") };
      const parsed = agreementInput.safeParse(values);
      const errors = parsed.success ? {} : fieldErrors(parsed.error, request.t);
      const part = (request.body as Record<string, unknown> | undefined)?.datei;
      let upload = null;
      if (isFilePart(part) && part.filename) {
        const checked = await checkUpload(
          { name: part.filename, bytes: await part.toBuffer(), truncated: part.file.truncated },
          DOCUMENT_TYPES,
          MAX_FILE_BYTES,
        );
        if ("problem" in checked) (errors as Record<string, string>).datei = request.t(`alliance.agreements.fileProblem.${checked.problem}`);
        else upload = checked;
      }
      if (!parsed.success || Object.keys(errors).length > 0) {
        const partner = await partnerDetail(platform, actor, tenant, id);
        // The file cannot be handed back to the browser: the message asks to choose it again.
        if (upload && !("datei" in errors)) (errors as Record<string, string>).datei = request.t("alliance.agreements.fileAgain");
        return reply.page(html`<${PartnerPage} ctx=${viewContext(request, nav)} partner=${partner} agreementValues=${values} errors=${errors} />`, 400);
      }
      await addAgreement(platform, actor, tenant, id, parsed.data, upload);
      return reply.flash({ kind: "success", message: request.t("alliance.agreements.added") }).redirect(`/allianz/partner/${id}#vereinbarungen`, 303);
    });
  });

  app.get("/allianz/partner/:id/vereinbarungen/:agreement/dokument", async (request, reply) => {
    const { actor } = requireActor(request);
    const file = await agreementDocument(platform, actor, tenantOf(request), param(request, "id"), param(request, "agreement"));
    return reply.headers(downloadHeaders(file)).send(file.bytes);
  });

  app.post("/allianz/partner/:id/vereinbarungen/:agreement/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    const id = param(request, "id");
    await removeAgreement(platform, actor, tenantOf(request), id, param(request, "agreement"));
    return reply.flash({ kind: "success", message: request.t("alliance.agreements.removed") }).redirect(`/allianz/partner/${id}#vereinbarungen`, 303);
  });
}

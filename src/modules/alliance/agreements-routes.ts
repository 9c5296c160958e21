import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkUpload, DOCUMENT_TYPES, downloadHeaders } from "../../platform/files/files.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { acceptUploads, textField, uploadedFile } from "../../platform/http/multipart.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { addAgreement, agreementDocument, removeAgreement } from "./agreements.ts";
import { authorizeEdit, partnerDetail } from "./commands.ts";
import { agreementInput } from "./schemas.ts";
import { PartnerPage } from "./views.ts";

/** Signed agreements are scans or exports of a few pages. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A partner's cooperation agreements: recorded with their document by the municipal admin, read by the directory's readers. */
export function registerAgreementRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };
  const param = (request: FastifyRequest, key: string) => (request.params as Record<string, string>)[key];

  app.register(async (scope) => {
    await acceptUploads(scope, { maxFileBytes: MAX_FILE_BYTES, fields: 6, admit: (request) => authorizeEdit(requireActor(request).actor, tenantOf(request)) });

    scope.post("/allianz/partner/:id/vereinbarungen", async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = tenantOf(request);
      authorizeEdit(actor, tenant);
      const id = param(request, "id");
      const values = {
        title: textField(request.body, "title"),
        validFrom: textField(request.body, "validFrom"),
        validUntil: textField(request.body, "validUntil"),
      };
      const parsed = agreementInput.safeParse(values);
      const errors = parsed.success ? {} : fieldErrors(parsed.error, request.t);
      const part = uploadedFile(request.body, "datei");
      let upload = null;
      if (part) {
        const checked = await checkUpload({ name: part.name, bytes: await part.bytes(), truncated: part.truncated }, DOCUMENT_TYPES, MAX_FILE_BYTES);
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

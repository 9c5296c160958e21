import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { berlinDate, berlinInstant } from "../../platform/calendar.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { formValues, one } from "../../platform/http/form-values.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { counselChannel, joinRoom, myRooms, openRoom, readRoomForm, renewRoomLink, roomById, roomByToken } from "./counsel.ts";
import { addNote, advance, askKeyQuestion, castRoles, chooseMethod, type TellResult, tellCase } from "./counsel-session.ts";
import { CounselJoinPage, CounselListPage, CounselRoomPage } from "./counsel-view.ts";
import { counselOpenPolicy, counselPolicy } from "./policy.ts";

/** Collegial case counselling under /trainings/fallberatung: the rooms, joining by link, the room, and its live phase (SSE). */
export function registerCounselRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const where = (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const t = requireTenant(request);
    return { actor, home: { id: t.id, kind: t.kind }, slug: t.slug };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;
  /** The live streams this process holds open, ended before the server closes (else closing would wait for them). */
  const streams = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const end of [...streams]) end();
  });
  const linkOf = (token: string) => `${platform.config.publicUrl}/trainings/fallberatung/beitreten/${token}`;
  const revealLink = (request: FastifyRequest, reply: FastifyReply, id: string, token: string) =>
    reply
      .flash({
        kind: "info",
        message: request.t("trainings.counsel.linkOnce"),
        reveal: [{ label: request.t("trainings.counsel.linkTitle"), value: linkOf(token) }],
      })
      .redirect(`/trainings/fallberatung/${id}`, 303);

  const listPage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const { actor, home } = where(request);
    const canOpen = counselOpenPolicy.can(actor, "open", home);
    const rooms = await myRooms(platform, actor);
    if (!canOpen && rooms.length === 0) throw new NotFoundError();
    return reply.page(html`<${CounselListPage} ctx=${ctx(request)} rooms=${rooms} canOpen=${canOpen} values=${values} errors=${errors} />`, status);
  };

  app.get("/trainings/fallberatung", (request, reply) =>
    listPage(request, reply, { title: request.t("trainings.counsel.defaultTitle"), date: berlinDate(platform.clock.now(), 14), time: "14:00" }, {}),
  );

  app.post("/trainings/fallberatung", async (request, reply) => {
    const { actor, home } = where(request);
    counselOpenPolicy.authorize(actor, "open", home);
    const values = formValues(request.body);
    const kept = { title: one(values.title), date: one(values.date).trim(), time: one(values.time).trim() };
    const read = readRoomForm(kept, platform.clock.now(), berlinInstant);
    if (!read.ok) return listPage(request, reply, kept, Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [k, request.t(v)])), 400);
    const { id, token } = await openRoom(platform, actor, home, read);
    return revealLink(request, reply, id, token);
  });

  /* ------------------------------------------------------------------ joining by link */

  const tokenOf = (request: FastifyRequest) => (request.params as Record<string, string>).token;
  const joinPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const { actor } = where(request);
    const room = await roomByToken(platform, actor, tokenOf(request));
    if (room?.ref.member) return reply.redirect(`/trainings/fallberatung/${room.id}`, 303);
    reply.header("referrer-policy", "no-referrer");
    return reply.page(
      html`<${CounselJoinPage} ctx=${ctx(request)} room=${room} canJoin=${!!room && counselPolicy.can(actor, "join", room.ref)} action=${`/trainings/fallberatung/beitreten/${tokenOf(request)}`} />`,
      room ? 200 : 404,
    );
  };
  app.get("/trainings/fallberatung/beitreten/:token", joinPage);
  app.post("/trainings/fallberatung/beitreten/:token", async (request, reply) => {
    const { actor, home } = where(request);
    const joined = await joinRoom(platform, actor, home, tokenOf(request));
    if (joined.full)
      return reply
        .flash({ kind: "warning", message: request.t("trainings.counsel.full") })
        .redirect(`/trainings/fallberatung/beitreten/${tokenOf(request)}`, 303);
    return reply.flash({ kind: "success", message: request.t("trainings.counsel.joined") }).redirect(`/trainings/fallberatung/${joined.id}`, 303);
  });

  /* ------------------------------------------------------------------ the room */

  const roomPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { check?: Extract<TellResult, { saved: false }>; errors?: Record<string, string>; values?: Record<string, string | string[]>; status?: number } = {},
  ) => {
    const { actor } = where(request);
    const room = await roomById(platform, actor, idOf(request));
    const can = counselPolicy.serialize(actor, room.ref);
    reply.header("cache-control", "private, no-store");
    return reply.page(
      html`<${CounselRoomPage} ctx=${ctx(request)} room=${room} can=${can} now=${platform.clock.now()} check=${opts.check ?? null} errors=${opts.errors ?? {}} values=${opts.values ?? {}} />`,
      opts.status ?? 200,
    );
  };
  const loaded = async (request: FastifyRequest) => {
    const { actor } = where(request);
    return { actor, room: await roomById(platform, actor, idOf(request)) };
  };
  const back = (request: FastifyRequest, reply: FastifyReply, message: string) =>
    reply.flash({ kind: "success", message: request.t(message) }).redirect(`/trainings/fallberatung/${idOf(request)}`, 303);

  app.get("/trainings/fallberatung/:id", (request, reply) => roomPage(request, reply));

  app.post("/trainings/fallberatung/:id/link", async (request, reply) => {
    const { actor, room } = await loaded(request);
    if (!room.ref.host) throw new NotFoundError();
    return revealLink(request, reply, room.id, await renewRoomLink(platform, actor, room));
  });

  app.post("/trainings/fallberatung/:id/rollen", async (request, reply) => {
    const { actor, room } = await loaded(request);
    const values = formValues(request.body);
    // Only the members the form names are changed (a form sent from an older page leaves newcomers alone).
    const roles = Object.fromEntries(
      room.members.filter((m) => values[`role_${m.userId}`] !== undefined).map((m) => [m.userId, one(values[`role_${m.userId}`])]),
    );
    await castRoles(platform, actor, room, roles);
    return back(request, reply, "trainings.counsel.rolesSaved");
  });

  app.post("/trainings/fallberatung/:id/weiter", async (request, reply) => {
    const { actor, room } = await loaded(request);
    const moved = await advance(platform, actor, room, one(formValues(request.body).from));
    if (!moved.ok) return reply.flash({ kind: "warning", message: request.t(moved.why) }).redirect(`/trainings/fallberatung/${room.id}`, 303);
    return reply.redirect(`/trainings/fallberatung/${room.id}`, 303);
  });

  app.post("/trainings/fallberatung/:id/fall", async (request, reply) => {
    const { actor, room } = await loaded(request);
    const values = formValues(request.body);
    const result = await tellCase(platform, actor, room, one(values.text), one(values.confirm) === "yes", one(values.mark));
    if (result.saved) return back(request, reply, "trainings.counsel.caseSaved");
    const errors: Record<string, string> = {};
    if (result.error) errors[result.error === "errors.trainings.counselCase" ? "text" : "confirm"] = request.t(result.error);
    return roomPage(request, reply, { check: result, errors, status: result.error ? 400 : 200 });
  });

  app.post("/trainings/fallberatung/:id/frage", async (request, reply) => {
    const { actor, room } = await loaded(request);
    const values = formValues(request.body);
    const asked = await askKeyQuestion(platform, actor, room, one(values.question));
    if (!asked.ok)
      return roomPage(request, reply, {
        errors: { question: request.t(asked.error, { found: asked.findings.map((f) => f.text).join(", ") }) },
        values,
        status: 400,
      });
    return back(request, reply, "trainings.counsel.questionSaved");
  });

  app.post("/trainings/fallberatung/:id/methode", async (request, reply) => {
    const { actor, room } = await loaded(request);
    if (!(await chooseMethod(platform, actor, room, one(formValues(request.body).method))))
      return roomPage(request, reply, { errors: { method: request.t("errors.trainings.counselMethod") }, status: 400 });
    return back(request, reply, "trainings.counsel.methodSaved");
  });

  app.post("/trainings/fallberatung/:id/notiz", async (request, reply) => {
    const { actor, room } = await loaded(request);
    const values = formValues(request.body);
    const added = await addNote(platform, actor, room, one(values.note));
    if (added !== true) {
      const why =
        typeof added === "string" ? request.t(added) : request.t("errors.trainings.counselNoteIdentifies", { found: added.map((f) => f.text).join(", ") });
      return roomPage(request, reply, { errors: { note: why }, values, status: 400 });
    }
    return back(request, reply, "trainings.counsel.noteSaved");
  });

  /*
   * The room's phase, live: a stream of server-sent events for its members. Whichever process a
   * phase changed in, it publishes the change; every process tells the pages it holds open. The
   * page (with JavaScript) reloads on a change; without JavaScript a reload shows the phase.
   */
  app.get("/trainings/fallberatung/:id/live", async (request, reply) => {
    const { actor } = where(request);
    const room = await roomById(platform, actor, idOf(request));
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    out.write(`retry: 5000\nevent: phase\ndata: ${JSON.stringify({ phase: room.phase })}\n\n`);
    const stop = platform.broadcast.subscribe(counselChannel(room.id), (payload) => {
      const phase = typeof payload?.phase === "string" ? payload.phase : null;
      if (phase) out.write(`event: phase\ndata: ${JSON.stringify({ phase })}\n\n`);
    });
    const beat = setInterval(() => out.write(": still here\n\n"), 25_000);
    const close = () => {
      clearInterval(beat);
      stop();
      streams.delete(end);
    };
    const end = () => {
      close();
      out.end();
    };
    streams.add(end);
    request.raw.on("close", close);
  });
}

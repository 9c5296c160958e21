import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { isSealed, type Keyring } from "../crypto/keyring.ts";
import type { Db } from "../db/client.ts";
import { inTransaction, withTenant } from "../db/client.ts";
import { mailOutbox } from "../db/schema.ts";
import type { Jobs } from "../jobs/jobs.ts";

/*
 * Every mail is first written to the outbox (in the caller's transaction, so it is sent only
 * if the work commits), then delivered by a job with retries. Without SMTP_URL mail stays in
 * the outbox, where national admins can read it in development. Mails never carry case
 * content: only links and case numbers. A body may still carry a secret (a sign-in link), so
 * it is sealed with the national data key while it waits, and blanked once delivered: a dump
 * or backup holds no working link.
 */

export const MAIL_BODY_CONTEXT = "mail_outbox.body";
/** Recipients are sealed too: a reporter's own address must not lie in the outbox in plain. */
export const MAIL_RECIPIENT_CONTEXT = "mail_outbox.recipient";

/** Mails that carry a calendar entry (RFC 5545, in the method iTIP gives it: an invitation, its update, its cancellation). */
export const MAIL_CALENDAR_CONTEXT = "mail_outbox.calendar";

export interface MailCalendar {
  method: "REQUEST" | "CANCEL" | "PUBLISH";
  /** The ICS text; its METHOD line must match `method`. */
  content: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** A calendar entry sent with it, which mail programs offer to add or update (text/calendar). */
  calendar?: MailCalendar;
}

export interface Mailer {
  /**
   * A recipient sealed as the outbox keeps it, for a database function that stores a mail in its
   * own transaction (its text plain: see `readBody`); delivery starts after commit via `dispatch`.
   */
  sealRecipient(to: string): Promise<string>;
  /** Queues a mail in the caller's transaction; delivery starts after commit via `dispatch`. */
  enqueue(tx: Db, mail: OutgoingMail): Promise<string>;
  /** Queues several mails in one statement; returns their ids in order. */
  enqueueMany(tx: Db, mails: OutgoingMail[]): Promise<string[]>;
  /** Hands queued mails to the job queue; call after the transaction committed. */
  dispatch(ids: string[]): Promise<void>;
  deliver(id: string): Promise<void>;
  readonly delivers: boolean;
  /**
   * The text of a stored body: sealed by `enqueue`, or plain where the intake function wrote a
   * reporter's confirmation (which holds no more than its subject: the case number and the municipality).
   */
  readBody(stored: string): Promise<string>;
  /** A stored field of a mail (recipient or body), sealed or plain. */
  readSealed(stored: string, context: string): Promise<string>;
}

export const MAIL_JOB = "mail.deliver";

/** What may be kept of a delivery error: nodemailer's code and the SMTP reply code, never the text. */
export function deliveryFailure(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const parts = [e.code, e.command, e.responseCode].filter((p) => typeof p === "string" || typeof p === "number").map(String);
  return (parts.length > 0 ? parts.join(" ") : "unknown error").replace(/[^A-Za-z0-9 _.-]/g, "").slice(0, 100);
}

export function createMailer(opts: {
  db: Db;
  jobs: Jobs;
  smtpUrl?: string;
  from: string;
  keyring: Keyring;
  nationalTenantId: string;
  clock: { now(): Date };
}): Mailer {
  const transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;
  const national = opts.nationalTenantId;
  /**
   * The national key's sealer. A caller's transaction may run for another tenant, whose
   * row-level security hides the national keys: the key is held from start-up (bootPlatform) for this.
   */
  const sealer = async (tx?: Db) =>
    opts.keyring.cachedSealer(national) ??
    (tx ? opts.keyring.sealer(tx, national) : withTenant(opts.db, national, (own) => opts.keyring.sealer(own, national)));
  const sealWith = (seal: Awaited<ReturnType<typeof sealer>>, mail: OutgoingMail) => ({
    id: randomUUID(),
    recipient: seal(mail.to, MAIL_RECIPIENT_CONTEXT),
    subject: mail.subject,
    body: seal(mail.text, MAIL_BODY_CONTEXT),
    calendar: mail.calendar ? seal(JSON.stringify(mail.calendar), MAIL_CALENDAR_CONTEXT) : null,
  });
  const mailer: Mailer = {
    delivers: !!transport,
    async sealRecipient(to) {
      return (await sealer())(to, MAIL_RECIPIENT_CONTEXT);
    },
    async enqueue(tx, mail) {
      const [id] = await mailer.enqueueMany(tx, [mail]);
      return id;
    },
    async enqueueMany(tx, mails) {
      if (mails.length === 0) return [];
      const seal = await sealer(tx);
      const queued = mails.map((mail) => sealWith(seal, mail));
      await tx.insert(mailOutbox).values(queued);
      return queued.map((m) => m.id);
    },
    readBody(stored) {
      return mailer.readSealed(stored, MAIL_BODY_CONTEXT);
    },
    async readSealed(stored, context) {
      if (!isSealed(stored)) return stored;
      return withTenant(opts.db, national, (tx) => opts.keyring.openText(tx, national, stored, context));
    },
    async dispatch(ids) {
      if (!transport) return;
      for (const id of ids) await opts.jobs.send(MAIL_JOB, { id });
    },
    async deliver(id) {
      if (!transport) return;
      const [row] = await inTransaction(opts.db, {}, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.id, id)));
      if (!row || row.sentAt) return;
      try {
        const to = await mailer.readSealed(row.recipient, MAIL_RECIPIENT_CONTEXT);
        const calendar = row.calendar ? (JSON.parse(await mailer.readSealed(row.calendar, MAIL_CALENDAR_CONTEXT)) as MailCalendar) : null;
        await transport.sendMail({
          from: opts.from,
          to,
          subject: row.subject,
          text: await mailer.readBody(row.body),
          ...(calendar ? { icalEvent: { method: calendar.method, content: calendar.content, filename: "termin.ics" } } : {}),
        });
        await inTransaction(opts.db, {}, (tx) =>
          tx
            .update(mailOutbox)
            .set({ sentAt: opts.clock.now(), attempts: row.attempts + 1, lastError: null, body: "", calendar: null })
            .where(eq(mailOutbox.id, id)),
        );
      } catch (err) {
        // A mail server's refusal names the recipient ("550 <person@…>: rejected"): only the
        // error's code and the server's reply code are kept, here and in the job queue.
        const safe = deliveryFailure(err);
        await inTransaction(opts.db, {}, (tx) =>
          tx
            .update(mailOutbox)
            .set({ attempts: row.attempts + 1, lastError: safe })
            .where(eq(mailOutbox.id, id)),
        );
        throw new Error(`mail delivery failed: ${safe}`); // the job retries
      }
    },
  };
  opts.jobs.define<{ id: string }>(MAIL_JOB, (data) => mailer.deliver(data.id), { retryLimit: 8, retryDelaySeconds: 30 });
  return mailer;
}

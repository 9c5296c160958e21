import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Db } from "../db/client.ts";
import { inTransaction } from "../db/client.ts";
import { mailOutbox } from "../db/schema.ts";
import type { Jobs } from "../jobs/jobs.ts";

/*
 * Every mail is first written to the outbox (in the caller's transaction, so it is sent only
 * if the work commits), then delivered by a job with retries. Without SMTP_URL mail stays in
 * the outbox, where national admins can read it in development. Mails never carry case
 * content: only links and case numbers.
 */

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Queues a mail in the caller's transaction; delivery starts after commit via `flush`. */
  enqueue(tx: Db, mail: OutgoingMail): Promise<string>;
  /** Hands queued mails to the job queue; call after the transaction committed. */
  dispatch(ids: string[]): Promise<void>;
  deliver(id: string): Promise<void>;
  readonly delivers: boolean;
}

export const MAIL_JOB = "mail.deliver";

export function createMailer(opts: { db: Db; jobs: Jobs; smtpUrl?: string; from: string }): Mailer {
  const transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;
  const mailer: Mailer = {
    delivers: !!transport,
    async enqueue(tx, mail) {
      const [row] = await tx.insert(mailOutbox).values({ recipient: mail.to, subject: mail.subject, body: mail.text }).returning({ id: mailOutbox.id });
      return row.id;
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
        await transport.sendMail({ from: opts.from, to: row.recipient, subject: row.subject, text: row.body });
        await inTransaction(opts.db, {}, (tx) =>
          tx
            .update(mailOutbox)
            .set({ sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
            .where(eq(mailOutbox.id, id)),
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await inTransaction(opts.db, {}, (tx) =>
          tx
            .update(mailOutbox)
            .set({ attempts: row.attempts + 1, lastError: message.slice(0, 500) })
            .where(eq(mailOutbox.id, id)),
        );
        throw err; // the job retries
      }
    },
  };
  opts.jobs.define<{ id: string }>(MAIL_JOB, (data) => mailer.deliver(data.id), { retryLimit: 8, retryDelaySeconds: 30 });
  return mailer;
}

import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when no SMTP server is configured: modules then notify in the web app only. */
  readonly enabled: boolean;
  /** Hands one message to the SMTP server; throws MailRejectedError when it refuses the message for good. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerOptions {
  /** smtp://user:pass@host:port or smtps://…; undefined turns mail off. */
  url: string | undefined;
  /** The From header, e.g. `Datapolis <no-reply@datapolis.local>`. */
  from: string;
}

/** The server answered with a permanent (5xx) refusal: sending the same message again cannot help. */
export class MailRejectedError extends Error {
  readonly responseCode: number;
  constructor(message: string, responseCode: number) {
    super(message);
    this.name = 'MailRejectedError';
    this.responseCode = responseCode;
  }
}

const DISABLED: Mailer = {
  enabled: false,
  send: async () => {
    throw new Error('No SMTP server is configured (DATAPOLIS_SMTP_URL).');
  },
  close: () => undefined,
};

/** Plain-text mail through one SMTP server; messages are queued as jobs by the modules, so this never retries. */
export function createMailer(options: MailerOptions): Mailer {
  if (options.url === undefined) return DISABLED;
  const transport = createTransport(
    {
      url: options.url,
      // A dead server should fail the job quickly so that it is retried later, not hold a worker for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from: options.from },
  );
  return {
    enabled: true,
    async send(message) {
      try {
        const info = await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
        return { messageId: info.messageId };
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        if (typeof code === 'number' && code >= 500 && code < 600)
          throw new MailRejectedError((error as Error).message, code);
        throw error;
      }
    },
    close: () => transport.close(),
  };
}

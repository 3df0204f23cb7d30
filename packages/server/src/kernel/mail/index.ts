export {
  createMailer,
  type Mailer,
  type MailerOptions,
  type MailMessage,
  MailRejectedError,
} from './mailer.ts';

/** Outbound email: messages queued in the transaction that causes them (the outbox) and sent over SMTP with nodemailer by the worker. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './mail-outbox.js';
export * from './mail.module.js';
export * from './outbound-email.entity.js';

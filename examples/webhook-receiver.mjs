// A webhook receiver that verifies every delivery's signature before trusting it.
//   LEOMA_WEBHOOK_SECRET=whsec_… PORT=8080 node examples/webhook-receiver.mjs
// Prints one line of JSON per verified event. With EXIT_AFTER=video.succeeded it exits after that event.
import { createServer } from 'node:http';
// In your project: npm install @leoma/sdk, then import from '@leoma/sdk' (here the repository's own build).
import { verifyWebhook, WebhookVerificationError } from 'leoma-api/client';

const seen = new Set(); // deliveries are at-least-once: deduplicate on webhook-id
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let event;
    try {
      // The raw body exactly as received: re-serialised JSON would not match the signature.
      event = await verifyWebhook(Buffer.concat(chunks), req.headers, process.env.LEOMA_WEBHOOK_SECRET);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      console.error(`refused: ${error.message}`);
      return res.writeHead(400).end();
    }
    res.writeHead(200).end(); // answer fast; work afterwards
    if (seen.has(req.headers['webhook-id'])) return;
    seen.add(req.headers['webhook-id']);
    console.log(JSON.stringify({ id: req.headers['webhook-id'], type: event.type, object: event.data.id, status: event.data.status }));
    if (event.type === process.env.EXIT_AFTER) server.close();
  });
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => console.error(`listening on ${server.address().port}`));

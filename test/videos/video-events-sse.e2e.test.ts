import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, createVideo } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

interface SseMessage {
  id: string;
  event: string;
  data: { type: string; data: { id: string; status: string } };
}

let app: TestApp;
let key: string;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, backend: { delayMs: 1500 }, env: { EVENTS_STREAM_POLL_MS: '50' } });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

/** Reads an event stream; stops after `max` messages (dropping the connection) or when the server ends it. */
async function readSse(res: Response, max = Infinity, abort?: AbortController): Promise<{ messages: SseMessage[]; ended: boolean }> {
  const messages: SseMessage[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { messages, ended: true };
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => !l.startsWith(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      );
      if (!fields.id) continue;
      messages.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
      if (messages.length >= max) {
        abort?.abort();
        return { messages, ended: false };
      }
    }
  }
}

const submitVideo = () => createVideo(app, key, image);

describe('GET /v1/videos/{id}/events', () => {
  it('streams every status in order and ends at the terminal one', async () => {
    const id = await submitVideo();
    const res = await app.request(`/v1/videos/${id}/events`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { messages, ended } = await readSse(res);
    expect(ended).toBe(true);
    expect(messages.map((m) => m.event)).toEqual(['video.queued', 'video.running', 'video.succeeded']);
    expect(messages.map((m) => m.data.data.status)).toEqual(['queued', 'running', 'succeeded']);
    expect(messages.every((m) => m.data.data.id === id && m.id.startsWith('evt_'))).toBe(true);
  });

  it('resumes after Last-Event-ID without missing anything', async () => {
    const id = await submitVideo();
    const abort = new AbortController();
    const first = await readSse(await app.request(`/v1/videos/${id}/events`, { key, signal: abort.signal }), 1, abort);
    expect(first.messages.map((m) => m.event)).toEqual(['video.queued']);

    const resumed = await readSse(await app.request(`/v1/videos/${id}/events`, { key, headers: { 'last-event-id': first.messages[0].id } }));
    expect(resumed.ended).toBe(true);
    expect(resumed.messages.map((m) => m.event)).toEqual(['video.running', 'video.succeeded']);
    const all = (await (await app.request(`/v1/events?object_id=${id}`, { key })).json()) as { data: { id: string }[] };
    expect([...first.messages, ...resumed.messages].map((m) => m.id)).toEqual(all.data.map((e) => e.id).reverse());

    const atEnd = await readSse(await app.request(`/v1/videos/${id}/events`, { key, headers: { 'last-event-id': resumed.messages[1].id } }));
    expect(atEnd).toEqual({ messages: [], ended: true });
  });

  it('is authenticated and tenant-scoped like the rest of the API', async () => {
    const id = await submitVideo();
    expect((await app.request(`/v1/videos/${id}/events`)).status).toBe(401);
    const other = await app.tenant();
    const res = await app.request(`/v1/videos/${id}/events`, { key: other.key });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const bad = await app.request(`/v1/videos/${id}/events`, { key, headers: { 'last-event-id': 'nope' } });
    expect(bad.status).toBe(400);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachments, ticketEvents, ticketMessages, tickets } from '../../server/db/schema';
import type { AckResult, TicketView } from '../../signaling/shared/protocol';
import { BROWSER_RTP_CAPABILITIES, ok, vp8RtpParameters } from '../helpers/callClient';
import { BACKENDS } from '../helpers/database';
import { type ClientSocket, connectSocket, eventually, record } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const NUL = 'a\u0000b';
const NUL_MESSAGE = 'must not contain NUL characters';

/**
 * Input that is the client's fault gets a specific 4xx and changes nothing; it is never a 500 with
 * an "unhandled error" in the log. Each case here was a 500 before (PostgreSQL refuses U+0000 in
 * text, a malformed percent-escape threw from decodeURIComponent, …).
 */
describe.each(BACKENDS)('client-fault errors on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const sockets: ClientSocket[] = [];
  /** Every log line at warn level and above, parsed: the app logs a 500 as `unhandled error`. */
  const logged: Array<{ level: number; msg: string; err?: { message?: string } }> = [];
  let ticket: TicketView;

  const api = restAs(() => t.url, tokens);

  async function rows(table: PgTable): Promise<number> {
    const [row] = await t.app.db.db.select({ n: count() }).from(table);
    return row!.n;
  }

  /** The counts of everything a refused request could have written. */
  async function stored() {
    return {
      tickets: await rows(tickets),
      messages: await rows(ticketMessages),
      events: await rows(ticketEvents),
      attachments: await rows(attachments),
      files: fs.readdirSync(path.join(t.app.config.dataDir, 'attachments')).length,
    };
  }

  const errorsLogged = () => logged.filter((line) => line.level >= 50);

  beforeAll(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    t = await startTestApp({ backend, logger });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    const created = await api('customer', '/api/tickets', {
      method: 'POST',
      body: { subject: 'A ticket to write to', description: 'Hello', category: 'technical' },
    });
    expect(created.status).toBe(201);
    ticket = created.body;
  });
  beforeEach(() => {
    logged.length = 0;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it.each([
    ['subject', { subject: `Sub${NUL}ject` }],
    ['description', { description: `Desc${NUL}` }],
    ['snapshot.browser', { snapshot: { browser: `Chro${NUL}mium` } }],
    ['snapshot.languages.1', { snapshot: { languages: ['en', `d${NUL}e`] } }],
  ])('refuses a NUL character in a new ticket’s %s with a 400 naming the field', async (field, extra) => {
    const before = await stored();
    const res = await api('customer', '/api/tickets', {
      method: 'POST',
      body: { subject: 'A good subject', description: 'A good description', category: 'technical', ...extra },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'bad_request',
      details: [{ path: field, message: NUL_MESSAGE }],
    });
    expect(await stored()).toEqual(before);
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a NUL character in a message, a note and an escalation note, over REST', async () => {
    const before = await stored();
    const message = await api('customer', `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: { body: `Hi${NUL}`, clientMessageId: 'nul-rest-1' },
    });
    expect(message.status).toBe(400);
    expect(message.body.error.details).toEqual([{ path: 'body', message: NUL_MESSAGE }]);
    const note = await api('agentL1', `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: { body: NUL, internal: true, clientMessageId: 'nul-rest-2' },
    });
    expect(note.status).toBe(400);
    const escalation = await api('agentL1', `/api/tickets/${ticket.id}/escalate`, {
      method: 'POST',
      body: { tier: 'L2', note: `Needs L2${NUL}` },
    });
    expect(escalation.status).toBe(400);
    expect(escalation.body.error.details).toEqual([{ path: 'note', message: NUL_MESSAGE }]);
    expect(await stored()).toEqual(before);
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a NUL character in a chat message over socket.io with a bad_request ack', async () => {
    const socket = await connectSocket(t.url, tokens.customer!);
    sockets.push(socket);
    ok(await socket.emitWithAck('ticket:subscribe', { ticketId: ticket.id }));
    const before = await stored();
    const ack = await socket.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: `Hello${NUL}`,
      clientMessageId: 'nul-socket-1',
    });
    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'bad_request', details: [{ path: 'body', message: NUL_MESSAGE }] },
    });
    expect(await stored()).toEqual(before);
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a malformed percent-escape in a page path with a 400, not the app shell or a 500', async () => {
    for (const route of ['/%', '/tickets/%zz', '/api/tickets/%']) {
      const res = await fetch(`${t.url}${route}`, {
        headers: { authorization: `Bearer ${tokens.customer}` },
      });
      expect(res.status, route).toBe(400);
      expect(((await res.json()) as any).error).toMatchObject({ code: 'bad_request' });
    }
    expect(errorsLogged()).toEqual([]);
  });

  async function upload(headers: Record<string, string>, body: BodyInit = 'hello') {
    const res = await fetch(`${t.url}/api/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.customer}`, ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('refuses an upload whose X-File-Name is not valid percent-encoding, storing nothing', async () => {
    const before = await stored();
    const res = await upload({ 'content-type': 'text/plain', 'x-file-name': '%' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'bad_request',
      details: [{ path: 'X-File-Name', message: expect.stringContaining('percent-encoded') }],
    });
    expect(await stored()).toEqual(before);
    expect(errorsLogged()).toEqual([]);
  });

  // Content types are lower-cased before the check; these two are Object.prototype's own names.
  it.each(['__proto__', 'constructor'])(
    'refuses an upload of type %s as a type that is not accepted',
    async (type) => {
      const before = await stored();
      const res = await upload({ 'content-type': type, 'x-file-name': 'notes.txt' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`files of type ${type} are not accepted`);
      expect(await stored()).toEqual(before);
      expect(errorsLogged()).toEqual([]);
    },
  );

  it('refuses a body that says Content-Encoding: gzip but is not gzip, on JSON and upload routes', async () => {
    const before = await stored();
    const json = await fetch(`${t.url}/api/tickets`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${tokens.customer}`,
      },
      body: JSON.stringify({ subject: 'Not gzip at all', description: 'x', category: 'other' }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({
      error: {
        code: 'bad_request',
        message: 'The request body is not valid gzip data (Content-Encoding: gzip).',
      },
    });
    const file = await upload({
      'content-type': 'text/plain',
      'x-file-name': 'a.txt',
      'content-encoding': 'gzip',
    });
    expect(file.status).toBe(400);
    expect(file.body.error.code).toBe('bad_request');
    expect(await stored()).toEqual(before);
    expect(errorsLogged()).toEqual([]);
  });

  it('keeps raw mediasoup error text out of call signaling acks and logs it on the server', async () => {
    const created = await api('customer', '/api/tickets', {
      method: 'POST',
      body: { subject: 'Please call me', description: 'Hello', category: 'video_call' },
    });
    const agent = await connectSocket(t.url, tokens.agentL1!);
    const customer = await connectSocket(t.url, tokens.customer!);
    sockets.push(agent, customer);
    const incoming = record(customer, 'call:incoming');
    const call = ok(await agent.emitWithAck('call:start', { ticketId: created.body.id }));
    await eventually(() => incoming.some((c) => c.id === call.id), 'the ring');
    ok(await customer.emitWithAck('call:answer', { callId: call.id, accept: true }));
    ok(
      await customer.emitWithAck('call:join', { callId: call.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }),
    );
    const send = ok(
      await customer.emitWithAck('call:transport:create', { callId: call.id, direction: 'send' }),
    );

    // mediasoup refuses both (a DTLS role it does not know; a codec the router does not have) and
    // its own error text names its internals.
    const results: AckResult<unknown>[] = [
      await customer.emitWithAck('call:transport:connect', {
        callId: call.id,
        transportId: send.id,
        dtlsParameters: { role: 'sideways', fingerprints: [] },
      }),
      await customer.emitWithAck('call:produce', {
        callId: call.id,
        transportId: send.id,
        kind: 'video',
        rtpParameters: {
          ...vp8RtpParameters(4242),
          codecs: [{ mimeType: 'video/H265', payloadType: 101, clockRate: 90000 }],
        },
        source: 'camera',
      }),
    ];
    expect(results).toEqual([
      {
        ok: false,
        error: { code: 'bad_request', message: 'The connection parameters were not accepted.' },
      },
      {
        ok: false,
        error: { code: 'bad_request', message: 'The track could not be sent: its format was not accepted.' },
      },
    ]);
    // The raw reasons are in the server's log, for whoever runs it.
    const warnings = logged.filter((line) => line.level === 40 && line.msg === 'media request refused');
    expect(warnings).toHaveLength(2);
    expect(warnings.every((w) => typeof w.err?.message === 'string' && w.err.message.length > 0)).toBe(true);
    ok(await agent.emitWithAck('call:hangup', { callId: call.id }));
  });

  // Last: it takes the database away from this suite's app.
  it('/readyz says "error" when the database is gone, and nothing of the driver’s message, which goes to the log', async () => {
    // Closed under the running app: every query now fails with the driver's own error text.
    const closeDb = t.app.db.close;
    await closeDb();
    t.app.db.close = async () => {};
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body).toEqual({
      status: 'not_ready',
      checks: { database: 'error', media: expect.objectContaining({ status: 'ok' }) },
    });
    const warning = logged.find((line) => line.msg === 'readiness: the database check failed');
    expect(warning?.err?.message).toBeTruthy();
    // Whatever the driver said is in the log only.
    expect(JSON.stringify(body)).not.toContain(warning!.err!.message!);
  });
});

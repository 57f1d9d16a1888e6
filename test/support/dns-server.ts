import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`: what DNS_SERVERS takes. */
  address: string;
  /** The TXT records answered for a name (replacing any before); an empty list answers no records. */
  setTxt(name: string, records: string[]): void;
  /** How many questions it was asked (to prove a lookup happened). */
  readonly queries: number;
  close(): Promise<void>;
}

const TXT = 16;

/**
 * A tiny authoritative DNS server on UDP 127.0.0.1 (node:dgram) for the SSO domain checks: it
 * answers TXT questions for the names it was given, NXDOMAIN for any other name, and no records for
 * other types. Enough of RFC 1035 for Node's resolver (c-ares): one question, name compression in
 * the answers only, EDNS in the question ignored.
 */
export async function startDnsServer(): Promise<TestDnsServer> {
  const zone = new Map<string, string[]>();
  let queries = 0;
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, peer) => {
    queries++;
    const reply = answer(msg, zone);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    setTxt: (name, records) => void zone.set(name.toLowerCase().replace(/\.$/, ''), records),
    get queries() {
      return queries;
    },
    close: () => new Promise((r) => socket.close(() => r())),
  };
}

function answer(msg: Buffer, zone: Map<string, string[]>): Buffer | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < msg.length && msg[at]! > 0) {
    const len = msg[at]!;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  const questionEnd = at + 5;
  if (questionEnd > msg.length) return undefined;
  const type = msg.readUInt16BE(at + 1);
  const name = labels.join('.').toLowerCase();
  const records = zone.get(name);
  const answers = records && type === TXT ? records.map(txtRecord) : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0);
  // QR, opcode 0, AA, RD copied from the question, RA; NXDOMAIN when the name is unknown.
  header.writeUInt16BE(0x8000 | 0x0400 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | (records ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, msg.subarray(12, questionEnd), ...answers]);
}

/** One TXT answer for the question's name (a pointer to offset 12), TTL 60, its text in strings of at most 255 bytes. */
function txtRecord(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const strings: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    strings.push(Buffer.concat([Buffer.from([part.length]), part]));
  }
  const rdata = Buffer.concat(strings);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(TXT, 2);
  fixed.writeUInt16BE(1, 4);
  fixed.writeUInt32BE(60, 6);
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

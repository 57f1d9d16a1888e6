import { BackendError } from './backend-error.js';
import type { OutputWriter } from './output-file.js';

/** The rest of a Cog answer (logs, metrics, ids) is small; this caps what is kept of it. */
const MAX_KEPT_CHARS = 1024 * 1024;
/** Enough for a data URI's `data:<type>;base64` head or an output URL. */
const MAX_HEAD_CHARS = 8 * 1024;

/**
 * Takes the characters of the prediction's output string: a data URI is decoded into the output
 * file as it arrives; an http(s) URL is kept for the caller to download. Base64 wrapped over
 * lines is accepted; anything else is not a file.
 */
export class OutputStringSink {
  private mode: 'head' | 'base64' | 'text' = 'head';
  private head = '';
  private pending = '';
  private chars = 0;
  private queued: Buffer[] = [];
  private seen = false;

  /** `maxChars` leaves room for base64's 4/3 and for line breaks in wrapped base64. */
  constructor(
    private readonly writer: OutputWriter,
    maxBytes: number,
    private readonly maxChars = Math.ceil((maxBytes / 3) * 4 * 1.03) + MAX_HEAD_CHARS,
  ) {}

  accept(s: string): void {
    this.seen = true;
    this.chars += s.length;
    if (this.chars > this.maxChars) throw new BackendError('output_invalid', `prediction output exceeds ${this.maxChars} characters`);
    if (this.mode === 'head') {
      this.head += s;
      const comma = this.head.indexOf(',');
      if (comma < 0 || !this.head.startsWith('data:')) {
        if (this.head.length > MAX_HEAD_CHARS) throw new BackendError('output_invalid', 'prediction output is not an inline file or a URL');
        return;
      }
      this.mode = this.head.slice(0, comma).endsWith(';base64') ? 'base64' : 'text';
      s = this.head.slice(comma + 1);
      this.head = this.head.slice(0, comma);
    }
    if (this.mode === 'text') {
      this.queued.push(Buffer.from(s, 'utf8'));
      return;
    }
    this.pending += s.replace(/\s+/g, '');
    const whole = this.pending.length - (this.pending.length % 4);
    if (whole > 0) this.queued.push(Buffer.from(this.pending.slice(0, whole), 'base64'));
    this.pending = this.pending.slice(whole);
  }

  async flush(): Promise<void> {
    const chunks = this.queued;
    this.queued = [];
    for (const chunk of chunks) await this.writer.write(chunk);
  }

  /** After the string ended: written to the file, a URL to download, or not a file at all. */
  async result(): Promise<{ kind: 'file' } | { kind: 'url'; url: string } | { kind: 'none' }> {
    if (this.mode === 'base64' && this.pending) {
      this.queued.push(Buffer.from(this.pending, 'base64'));
      this.pending = '';
    }
    await this.flush();
    if (this.mode !== 'head') return { kind: 'file' };
    if (this.seen && /^https?:\/\//.test(this.head)) return { kind: 'url', url: this.head };
    return { kind: 'none' };
  }
}

/**
 * Reads a Cog prediction answer as it streams in. The `output` string (or the first string of an
 * `output` list), often a data URI of many megabytes, goes to the OutputStringSink character by
 * character and is never held; the rest of the JSON is kept, with that string emptied, and
 * parsed once complete.
 */
export class CogAnswerScanner {
  private kept = '';
  private readonly stack: ('{' | '[')[] = [];
  private expectKey = false;
  private topKey: string | null = null;
  private inString = false;
  private stringIsTopKey = false;
  private stringStart = 0;
  private escaped = false;
  private divert = false;
  private escape = '';
  private listIndex = 0;

  constructor(private readonly sink: OutputStringSink) {}

  async push(text: string): Promise<void> {
    let i = 0;
    while (i < text.length) {
      if (this.inString) {
        i = this.divert ? this.divertChars(text, i) : this.keepChars(text, i);
        continue;
      }
      const c = text[i++]!;
      this.keep(c);
      const top = this.stack.at(-1);
      if (c === '"') this.openString();
      else if (c === '{') {
        this.stack.push('{');
        this.expectKey = true;
      } else if (c === '[') {
        this.stack.push('[');
        this.listIndex = 0;
      } else if (c === '}' || c === ']') this.stack.pop();
      else if (c === ':') this.expectKey = false;
      else if (c === ',') {
        if (top === '{') this.expectKey = true;
        else this.listIndex++;
      }
    }
    await this.sink.flush();
  }

  /** The answer without the output string, for JSON.parse. */
  rest(): string {
    return this.kept;
  }

  private keep(s: string): void {
    this.kept += s;
    if (this.kept.length > MAX_KEPT_CHARS) throw new BackendError('output_invalid', `backend answer besides the output exceeds ${MAX_KEPT_CHARS} characters`);
  }

  private openString(): void {
    this.inString = true;
    const depth = this.stack.length;
    const isKey = this.stack.at(-1) === '{' && this.expectKey;
    this.stringIsTopKey = isKey && depth === 1;
    this.stringStart = this.kept.length - 1;
    const outputValue = depth === 1 && !isKey && this.topKey === 'output';
    const firstOfOutputList = depth === 2 && this.stack[0] === '{' && this.stack[1] === '[' && this.topKey === 'output' && this.listIndex === 0;
    this.divert = outputValue || firstOfOutputList;
  }

  private keepChars(text: string, i: number): number {
    for (; i < text.length; i++) {
      const c = text[i]!;
      this.keep(c);
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        if (this.stringIsTopKey) this.topKey = JSON.parse(this.kept.slice(this.stringStart)) as string;
        return i + 1;
      }
    }
    return i;
  }

  private divertChars(text: string, i: number): number {
    if (this.escape) {
      this.escape += text[i];
      const complete = this.escape[1] === 'u' ? this.escape.length === 6 : this.escape.length === 2;
      if (complete) {
        this.sink.accept(JSON.parse(`"${this.escape}"`) as string);
        this.escape = '';
      }
      return i + 1;
    }
    const quote = text.indexOf('"', i);
    const slash = text.indexOf('\\', i);
    const stop = Math.min(quote < 0 ? text.length : quote, slash < 0 ? text.length : slash);
    if (stop > i) this.sink.accept(text.slice(i, stop));
    if (stop === text.length) return stop;
    if (text[stop] === '"') {
      this.inString = false;
      this.divert = false;
      this.keep('"');
    } else this.escape = '\\';
    return stop + 1;
  }
}

import { useState } from 'preact/hooks';
import { LeomaProblemError, unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { useAction } from '../api/use-resource.js';
import { ErrorBox } from '../ui/status.js';
import { LabelledInput } from '../ui/labelled-input.js';

/** `datetime-local`'s value for now, in the browser's time zone (what the operator reads off their clock). */
function localNow(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const EMPTY = {
  block: '',
  index: '',
  hash: '',
  paid: '',
  currency: 'usd',
  rate: '',
  rateSource: '',
  rateReadAt: localNow(),
  source: '',
  reference: '',
};

/** The rate the chain's amount and the fiat paid make, to 9 decimals (what the API checks within 1 %). */
function rateFor(paidMinor: number, amountRao: string): string {
  const scaled = (BigInt(paidMinor) * 10n ** 16n) / BigInt(amountRao);
  return `${scaled / 10n ** 9n}.${(scaled % 10n ** 9n).toString().padStart(9, '0')}`;
}

/**
 * Finance records TAO bought for the burns: the transfer into the treasury coldkey as an explorer
 * shows it (block, extrinsic index, hash) and the fiat side. The TAO amount is the chain's: the API
 * reads it, and when the rate entered does not fit it, the refusal says what the chain has.
 */
export function RecordFunding({ onRecorded }: { onRecorded: () => void }) {
  const { operator } = useConnection();
  const [form, setForm] = useState(EMPTY);
  const [recorded, setRecorded] = useState<string | null>(null);
  const paidMinor = Math.round(Number(form.paid) * 100);
  const record = useAction(async () => {
    setRecorded(null);
    const funding = unwrap(
      await operator.POST('/v1/treasury/fundings', {
        body: {
          transfer_block_number: Number(form.block),
          transfer_extrinsic_index: Number(form.index),
          transfer_extrinsic_hash: form.hash.trim() || undefined,
          fiat_minor: paidMinor,
          currency: form.currency.trim().toLowerCase(),
          rate: form.rate.trim(),
          rate_source: form.rateSource.trim(),
          rate_read_at: new Date(form.rateReadAt).toISOString(),
          source: form.source.trim(),
          external_reference: form.reference.trim(),
        },
      }),
    );
    setRecorded(funding.id);
    setForm({ ...EMPTY, rateReadAt: localNow() });
    onRecorded();
  });
  // The refusal of a rate that does not fit carries the TAO the chain has: offer the rate that does.
  const onChainRao =
    record.error instanceof LeomaProblemError && record.error.code === 'funding_rate_mismatch'
      ? (record.error.problem as { amount_rao?: string }).amount_rao
      : undefined;
  const set = (field: keyof typeof EMPTY) => (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [field]: e.currentTarget.value });
  return (
    <form
      aria-labelledby="record-funding-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void record.run();
      }}
    >
      <h3 id="record-funding-heading">Record a funding</h3>
      <fieldset>
        <legend>The transfer into the treasury coldkey</legend>
        <div class="row top">
          <LabelledInput
            id="funding-block"
            label="Block number"
            hint="Finalized block holding the transfer."
            type="number"
            required
            min={1}
            step={1}
            value={form.block}
            onInput={set('block')}
          />
          <LabelledInput
            id="funding-index"
            label="Extrinsic index"
            hint="Its position in the block: 4200123-2 means index 2."
            type="number"
            required
            min={0}
            max={100000}
            step={1}
            value={form.index}
            onInput={set('index')}
          />
          <LabelledInput
            id="funding-hash"
            label="Extrinsic hash (optional)"
            hint="0x and 64 hex digits; checked against the chain."
            grow
            pattern="0x[0-9a-fA-F]{64}"
            spellcheck={false}
            autoComplete="off"
            value={form.hash}
            onInput={set('hash')}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>What the TAO cost</legend>
        <div class="row top">
          <LabelledInput
            id="funding-paid"
            label="Paid"
            hint="In the currency's units, e.g. 49.00; the TAO amount is read from the chain."
            type="number"
            required
            min={0.01}
            step={0.01}
            value={form.paid}
            onInput={set('paid')}
          />
          <LabelledInput
            id="funding-currency"
            label="Currency"
            hint="ISO 4217, e.g. usd."
            required
            pattern="[a-zA-Z]{3}"
            maxLength={3}
            value={form.currency}
            onInput={set('currency')}
          />
          <LabelledInput
            id="funding-rate"
            label="Rate per TAO"
            hint="Currency per τ; must fit paid ÷ TAO within 1 %."
            required
            inputMode="decimal"
            pattern="\d{1,9}(\.\d{1,9})?"
            value={form.rate}
            onInput={set('rate')}
          />
          <LabelledInput
            id="funding-rate-source"
            label="Rate source"
            hint="The exchange fill, OTC quote or feed."
            grow
            required
            maxLength={200}
            value={form.rateSource}
            onInput={set('rateSource')}
          />
          <LabelledInput
            id="funding-rate-read"
            label="Rate read at"
            hint="Your local time."
            type="datetime-local"
            required
            value={form.rateReadAt}
            onInput={set('rateReadAt')}
          />
        </div>
        <div class="row top">
          <LabelledInput
            id="funding-source"
            label="Bought from"
            hint="Exchange or OTC desk."
            grow
            required
            maxLength={200}
            value={form.source}
            onInput={set('source')}
          />
          <LabelledInput
            id="funding-reference"
            label="Reference"
            hint="The exchange's or bank's id; one funding per reference."
            grow
            required
            maxLength={200}
            value={form.reference}
            onInput={set('reference')}
          />
        </div>
      </fieldset>
      <button type="submit" disabled={record.pending}>
        {record.pending ? 'Checking the chain…' : 'Record funding'}
      </button>
      {recorded ? (
        <p role="status" data-testid="funding-recorded">
          Recorded as <code>{recorded}</code>.
        </p>
      ) : null}
      <ErrorBox error={record.error} />
      {onChainRao && paidMinor > 0 ? (
        <p data-testid="rate-suggestion">
          The chain has {onChainRao} RAO in that transfer: at {form.paid} paid the rate is {rateFor(paidMinor, onChainRao)}.{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setForm({ ...form, rate: rateFor(paidMinor, onChainRao) });
              record.clearError();
            }}
          >
            Use this rate
          </button>
        </p>
      ) : null}
    </form>
  );
}

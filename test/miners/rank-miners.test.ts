import { describe, expect, it } from 'vitest';
import type { MinerReading, SubnetReading } from '../../src/chain/index.js';
import { rankMiners } from '../../src/miners/rank-miners.js';

// The ranking as a pure rule: incentive first; ties (the king chain is weighted equally) by the
// newest commitment, then the lower UID; the owner's UID and unusable commitments left out.
const HOTKEYS = {
  alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  dave: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  eve: '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
};
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const v4 = (hotkey: string, c: string) => `v4|owner/leoma-${c}|${digest(c)}|${hotkey}`;
const miner = (uid: number, hotkey: string, incentive: number, commitment: string | null, commitmentBlock: number | null = 100): MinerReading => ({
  uid,
  hotkey,
  incentive,
  commitment,
  commitmentBlock,
});
const reading = (miners: MinerReading[], ownerHotkey: string | null = null): SubnetReading => ({
  block: { number: 1000, hash: `0x${'0'.repeat(64)}` },
  tempo: 360,
  ownerHotkey,
  miners,
});

describe('rankMiners', () => {
  it('ranks by incentive, best first', () => {
    const { ranking } = rankMiners(reading([miner(3, HOTKEYS.charlie, 100, v4(HOTKEYS.charlie, 'c')), miner(2, HOTKEYS.bob, 900, v4(HOTKEYS.bob, 'b'))]));
    expect(ranking.map((r) => [r.uid, r.model, r.model_revision])).toEqual([
      [2, 'owner/leoma-b', digest('b')],
      [3, 'owner/leoma-c', digest('c')],
    ]);
  });

  it('breaks a tie across the king chain by the newest commitment, not the lower UID', () => {
    const tied = [
      miner(1, HOTKEYS.alice, 500, v4(HOTKEYS.alice, 'a'), 100),
      miner(2, HOTKEYS.bob, 500, v4(HOTKEYS.bob, 'b'), 400),
      miner(3, HOTKEYS.charlie, 500, v4(HOTKEYS.charlie, 'c'), 250),
    ];
    expect(rankMiners(reading(tied)).ranking.map((r) => r.uid)).toEqual([2, 3, 1]);
  });

  it('falls back to the lower UID when tied commitments are as new (or of unknown age)', () => {
    const tied = [miner(4, HOTKEYS.dave, 500, v4(HOTKEYS.dave, 'd'), null), miner(2, HOTKEYS.bob, 500, v4(HOTKEYS.bob, 'b'), null)];
    expect(rankMiners(reading(tied)).ranking.map((r) => r.uid)).toEqual([2, 4]);
  });

  it("leaves out the owner's UID and hotkey, and says why each other miner is left out", () => {
    const { ranking, unranked } = rankMiners(
      reading(
        [
          miner(0, HOTKEYS.alice, 65000, null),
          miner(5, HOTKEYS.eve, 60000, v4(HOTKEYS.eve, 'e')),
          miner(1, HOTKEYS.bob, 900, null),
          miner(2, HOTKEYS.charlie, 800, `v3|${digest('a')}|owner/leoma-c|${digest('c')}|${HOTKEYS.charlie}`),
          miner(3, HOTKEYS.dave, 700, v4(HOTKEYS.bob, 'd')),
          miner(4, HOTKEYS.alice, 600, 'not a commitment'),
        ],
        HOTKEYS.eve,
      ),
    );
    expect(ranking).toEqual([]);
    expect(unranked.map((u) => [u.uid, u.reason])).toEqual([
      [0, 'owner_uid'],
      [5, 'owner_uid'],
      [1, 'no_commitment'],
      [2, 'stale_format'],
      [3, 'author_hotkey_mismatch'],
      [4, 'commitment_unparseable'],
    ]);
  });
});

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The closed period a burn carries in its on-chain memo (v2): one per burn; a period is anchored again only if its burn never landed. */
@Entity({ name: 'treasury_burn_anchors' })
@Index(['period'])
export class BurnAnchor {
  @PrimaryColumn({ name: 'burn_id', type: 'text' })
  burnId: string;

  @Column({ type: 'text' })
  period: string;

  @Column({ name: 'statement_sha256', type: 'char', length: 64 })
  statementSha256: string;

  @Column({ name: 'merkle_root', type: 'char', length: 64 })
  merkleRoot: string;
}

/** Types for refusal.mjs (plain JavaScript so the bench runner needs no compile step). */
export interface ScenarioCounts {
  name: string;
  round?: number;
  scenario: string;
  total: number;
  non2xx: number;
  errors: number;
}
export declare function refusal<Row extends ScenarioCounts>(row: Row, maxShare: number): Row | (ScenarioCounts & { refused: string });

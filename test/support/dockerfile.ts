import { readFileSync } from 'node:fs';

export interface Instruction {
  op: string;
  args: string;
}

export interface DockerfileStages {
  text: string;
  /** Every instruction, including the ARGs before the first FROM. */
  instructions: Instruction[];
  stages: { from: string; body: Instruction[] }[];
  /** The last stage: the image that runs. */
  runtime: { from: string; body: Instruction[] };
}

/**
 * There is no Docker here, so images are checked by reading their Dockerfile: instructions with
 * their continuation lines joined and comments dropped, grouped by stage.
 */
export function readDockerfile(path: string): DockerfileStages {
  const text = readFileSync(path, 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ op: l.split(/\s+/)[0]!.toUpperCase(), args: l.slice(l.indexOf(' ') + 1) }));
  const stages = instructions.reduce<DockerfileStages['stages']>((acc, i) => {
    if (i.op === 'FROM') acc.push({ from: i.args, body: [] });
    else acc.at(-1)?.body.push(i);
    return acc;
  }, []);
  return { text, instructions, stages, runtime: stages.at(-1)! };
}

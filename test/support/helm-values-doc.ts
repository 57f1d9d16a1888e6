/**
 * The values table of helm/leoma/README.md, from the `## @param path description` comments in
 * values.yaml (the annotation format of @bitnami/readme-generator-for-helm). `undocumented` lists
 * leaves of values.yaml that no @param covers (a @param on an object covers all of it).
 */
export function helmValuesTable(valuesText: string, values: Record<string, unknown>): { table: string; undocumented: string[] } {
  const params = [...valuesText.matchAll(/^\s*## @param (\S+) (.+)$/gm)].map((m) => ({ path: m[1]!, description: m[2]!.trim() }));
  const documented = new Set(params.map((p) => p.path));
  const undocumented: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (path && documented.has(path)) return;
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
    } else undocumented.push(path);
  };
  walk(values, '');
  const valueAt = (path: string) => path.split('.').reduce<any>((n, k) => (n === null || n === undefined ? undefined : n[k]), values);
  const rows = params.map((p) => `| \`${p.path}\` | ${p.description.replace(/\|/g, '\\|')} | \`${JSON.stringify(valueAt(p.path)) ?? 'null'}\` |`);
  return { table: ['| Value | Description | Default |', '| --- | --- | --- |', ...rows].join('\n'), undocumented };
}

/** The parts of an npm lock file (lockfileVersion 2 or 3) that say which version each package resolves to. */
interface LockFile {
  packages: Record<
    string,
    {
      version?: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      os?: string[];
      cpu?: string[];
      libc?: string[];
    }
  >;
}

/** Where Node finds `name` required from the package installed at `from` ('' for the root): its own node_modules, then each parent's. */
function resolveIn(lock: LockFile, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const path = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[path]) return path;
    if (!dir) return undefined;
  }
}

/**
 * Whether the production dependencies of `previous` (an older release's lock file) resolve, package
 * by package and from each requiring package, to the same versions in `current`'s install: then
 * running that release with the current node_modules loads exactly the modules its own install
 * would, though packages may sit at other places in the tree (hoisted differently) and the current
 * install holds more. `current` may be npm's record of an install (node_modules/.package-lock.json),
 * which leaves out other platforms' optional binaries. Returns the first difference, or null when
 * there is none. Optional and peer dependencies the previous release did not install are no
 * difference.
 */
export function productionTreeDifference(previous: LockFile, current: LockFile): string | null {
  const seen = new Set<string>();
  const walk = (prevFrom: string, curFrom: string, deps: Record<string, string>, optional: boolean): string | null => {
    for (const name of Object.keys(deps)) {
      const prevPath = resolveIn(previous, prevFrom, name);
      const curPath = resolveIn(current, curFrom, name);
      if (!prevPath) {
        if (optional) continue;
        return `${name} (from ${prevFrom || 'the root'}) is not in the previous release's lock file`;
      }
      const prevEntry = previous.packages[prevPath]!;
      // A platform's optional binary that this machine's install skipped, as the previous release's would.
      if (!curPath && optional && (prevEntry.os || prevEntry.cpu || prevEntry.libc)) continue;
      const prevVersion = prevEntry.version;
      const curVersion = curPath ? current.packages[curPath]!.version : undefined;
      if (prevVersion !== curVersion) return `${prevPath}: ${prevVersion} there, ${curVersion ?? 'missing'} here`;
      const key = `${prevPath}\0${curPath}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const difference =
        walk(prevPath, curPath!, prevEntry.dependencies ?? {}, false) ??
        walk(prevPath, curPath!, prevEntry.optionalDependencies ?? {}, true) ??
        walk(prevPath, curPath!, prevEntry.peerDependencies ?? {}, true);
      if (difference) return difference;
    }
    return null;
  };
  const root = previous.packages['']!;
  return walk('', '', root.dependencies ?? {}, false) ?? walk('', '', root.optionalDependencies ?? {}, true);
}
